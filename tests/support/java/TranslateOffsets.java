// Kafka's own answer to "where does this group resume on the target cluster":
// RemoteClusterUtils.translateOffsets (connect-mirror-client), for tests/support/connect.rs.
// Run with Java's single-file source launch:
//   java -cp "$KAFKA_LIBS/*" TranslateOffsets.java TARGET_BOOTSTRAP SOURCE_ALIAS GROUP
// Prints one "TOPIC PARTITION OFFSET" line per partition, sorted.

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.mirror.RemoteClusterUtils;

public class TranslateOffsets {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: TranslateOffsets TARGET_BOOTSTRAP SOURCE_ALIAS GROUP");
            System.exit(2);
        }
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", args[0]);
        Map<TopicPartition, OffsetAndMetadata> offsets =
            RemoteClusterUtils.translateOffsets(props, args[1], args[2], Duration.ofSeconds(30));
        TreeMap<String, Long> sorted = new TreeMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            sorted.put(e.getKey().topic() + " " + e.getKey().partition(), e.getValue().offset());
        }
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            System.out.println(e.getKey() + " " + e.getValue());
        }
    }
}
