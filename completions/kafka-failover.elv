
use builtin;
use str;

set edit:completion:arg-completer[kafka-failover] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'kafka-failover'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'kafka-failover'= {
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand topology 'Validate, lint and inspect topology files (offline)'
            cand cluster 'Cluster health: brokers per DC, partitions, groups'
            cand placement 'Rack-aware replica placement checks and fix proposals'
            cand offsets 'Consumer-group offsets: show, reset, rollback'
            cand mirror 'MirrorMaker 2 control: status, pause, resume, reverse'
            cand failover 'Fail over away from a lost datacenter (plans; --execute applies)'
            cand failback 'Fail back to a returning datacenter (plans; --execute applies)'
            cand ready 'Would a failover away from each datacenter succeed now? (changes nothing)'
            cand drill 'Run a failover and failback end to end and report on it'
            cand rollback 'Undo what a failover or failback run did, from its run journal'
            cand lock 'The run lock on a cluster: who holds it; break a dead run''s lock'
            cand lab 'Embedded clusters shaped like a topology, with traffic (no Kafka install needed)'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;topology'= {
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand validate 'Check that topology files are valid (syntax, types, references, secrets)'
            cand lint 'Check topology files against operational rules (warnings)'
            cand schema 'Print the JSON Schema of the topology format'
            cand show 'Summarise a topology: datacenters, clusters, mirrors, consumer groups'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;topology;validate'= {
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;topology;lint'= {
            cand --deny 'Exit 1 when any finding of this severity is found'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand --list-rules 'List every lint rule with its explanation'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;topology;schema'= {
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;topology;show'= {
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;topology;help'= {
            cand validate 'Check that topology files are valid (syntax, types, references, secrets)'
            cand lint 'Check topology files against operational rules (warnings)'
            cand schema 'Print the JSON Schema of the topology format'
            cand show 'Summarise a topology: datacenters, clusters, mirrors, consumer groups'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;topology;help;validate'= {
        }
        &'kafka-failover;topology;help;lint'= {
        }
        &'kafka-failover;topology;help;schema'= {
        }
        &'kafka-failover;topology;help;show'= {
        }
        &'kafka-failover;topology;help;help'= {
        }
        &'kafka-failover;cluster'= {
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand status 'Reachability, brokers per DC, controller, partitions at risk and groups, per cluster'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;cluster;status'= {
            cand --cluster 'Only these clusters (repeatable; default: all)'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;cluster;help'= {
            cand status 'Reachability, brokers per DC, controller, partitions at risk and groups, per cluster'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;cluster;help;status'= {
        }
        &'kafka-failover;cluster;help;help'= {
        }
        &'kafka-failover;placement'= {
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand check 'Check replica placement against the topology; `--lose DC` shows what losing DCs does'
            cand propose 'Write a minimal-move reassignment (kafka-reassign-partitions JSON) that fixes violations'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;placement;check'= {
            cand --cluster 'Only these clusters (repeatable; default: all)'
            cand --topic 'Only topics matching this regex (repeatable)'
            cand --lose 'What-if: these datacenters are lost (repeatable)'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;placement;propose'= {
            cand --cluster 'The cluster (required when the topology has several)'
            cand --topic 'Only topics matching this regex (repeatable)'
            cand --out 'Where to write the reassignment JSON'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;placement;help'= {
            cand check 'Check replica placement against the topology; `--lose DC` shows what losing DCs does'
            cand propose 'Write a minimal-move reassignment (kafka-reassign-partitions JSON) that fixes violations'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;placement;help;check'= {
        }
        &'kafka-failover;placement;help;propose'= {
        }
        &'kafka-failover;placement;help;help'= {
        }
        &'kafka-failover;offsets'= {
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand show 'Committed offset, log start/end and lag per group and partition'
            cand reset 'Plan (and with --execute apply) new committed offsets for consumer groups'
            cand rollback 'Restore exactly the offsets a reset''s journal recorded before it wrote'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;offsets;show'= {
            cand --cluster 'The cluster'
            cand -g 'A consumer group (repeatable)'
            cand --group 'A consumer group (repeatable)'
            cand --group-regex 'Groups whose id matches this regex (anchored; lists the cluster''s groups)'
            cand --topic 'Only these topics, `TOPIC` or `TOPIC:P,P,...` (repeatable)'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand --all-groups 'Every group of the cluster'
            cand --groups-from-topology 'The topology''s consumer groups (each with its own failover strategy for `reset`)'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;offsets;reset'= {
            cand --cluster 'The cluster whose groups are reset'
            cand -g 'A consumer group (repeatable)'
            cand --group 'A consumer group (repeatable)'
            cand --group-regex 'Groups whose id matches this regex (anchored; lists the cluster''s groups)'
            cand --topic 'Only these topics, `TOPIC` or `TOPIC:P,P,...` (repeatable; default: the group''s)'
            cand --to-datetime 'To the first record at or after this time (RFC 3339 with zone, e.g. 2026-11-24T03:00:00Z)'
            cand --by-duration 'To the first record at or after now minus this (e.g. 15m)'
            cand --shift-by 'Move the committed offset by N (negative: back)'
            cand --to-offset 'To this offset'
            cand --from-file 'Offsets from a plan file: this tool''s --export (CSV/JSON) or kafka-consumer-groups'' CSV'
            cand --to-group 'Copy another group''s committed positions'
            cand --translated-from 'Translate with the MirrorMaker 2 checkpoints of the mirror from this cluster'
            cand --fallback-by-duration 'With --translated-from: partitions without a checkpoint go to now minus this'
            cand --export 'Write the plan to FILE (`.json`: JSON, else CSV) for a later --from-file'
            cand --journal 'Journal path (default: kafka-failover-reset-<cluster>-<time>.journal.jsonl in --journal-dir)'
            cand --journal-dir 'Folder for journals'
            cand --wait-empty 'Wait up to this long for groups with live members to empty'
            cand --resume 'Continue an interrupted reset from its journal (its targets; converges)'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand --all-groups 'Every group of the cluster'
            cand --groups-from-topology 'The topology''s consumer groups (each with its own failover strategy for `reset`)'
            cand --to-earliest 'To the log start'
            cand --to-latest 'To the log end'
            cand --execute 'Apply the plan (after confirmation on a terminal)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --force 'Apply a --from-file plan even if the groups'' offsets changed since it was made'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;offsets;rollback'= {
            cand --topology 'Topology file (default: the one the journal names)'
            cand --journal-dir 'Folder for the rollback''s own journal'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand --execute 'Apply the rollback (after confirmation on a terminal)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --force 'Roll back even where offsets changed since the reset'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;offsets;help'= {
            cand show 'Committed offset, log start/end and lag per group and partition'
            cand reset 'Plan (and with --execute apply) new committed offsets for consumer groups'
            cand rollback 'Restore exactly the offsets a reset''s journal recorded before it wrote'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;offsets;help;show'= {
        }
        &'kafka-failover;offsets;help;reset'= {
        }
        &'kafka-failover;offsets;help;rollback'= {
        }
        &'kafka-failover;offsets;help;help'= {
        }
        &'kafka-failover;mirror'= {
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand status 'Per mirror: driver, connectors and tasks, lag per topic, checkpoint and offset-sync age'
            cand pause 'Pause a mirror (plan; --execute applies)'
            cand resume 'Resume a paused or stopped mirror (plan; --execute applies)'
            cand reverse 'Stop a mirror and start the reverse direction without copying anything twice'
            cand rollback 'Undo what a mirror journal recorded, last step first'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;mirror;status'= {
            cand --mirror 'Only this mirror (repeatable; default: all)'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;mirror;pause'= {
            cand --mirror 'The mirror'
            cand --journal-dir 'Folder for the journal'
            cand --wait 'Longest wait for a mirror to reach a state'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand --execute 'Apply the plan (after confirmation on a terminal)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;mirror;resume'= {
            cand --mirror 'The mirror'
            cand --journal-dir 'Folder for the journal'
            cand --wait 'Longest wait for a mirror to reach a state'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand --execute 'Apply the plan (after confirmation on a terminal)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;mirror;reverse'= {
            cand --mirror 'The mirror to reverse'
            cand --write-topology 'Also write the topology with the mirror reversed (and primary/standby swapped) here'
            cand --connector-config 'A config key for every connector of the reverse flow, e.g. `replication.factor=3` (repeatable)'
            cand --journal-dir 'Folder for the journal'
            cand --wait 'Longest wait for a mirror to reach a state'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand --force 'Dedicated mode under the identity policy cannot position the reverse flow: copy from the log start anyway'
            cand --execute 'Apply the plan (after confirmation on a terminal)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;mirror;rollback'= {
            cand --timeout 'Deadline of each request to the mirror''s driver (e.g. `10s`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand --execute 'Apply the rollback (after confirmation on a terminal)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;mirror;help'= {
            cand status 'Per mirror: driver, connectors and tasks, lag per topic, checkpoint and offset-sync age'
            cand pause 'Pause a mirror (plan; --execute applies)'
            cand resume 'Resume a paused or stopped mirror (plan; --execute applies)'
            cand reverse 'Stop a mirror and start the reverse direction without copying anything twice'
            cand rollback 'Undo what a mirror journal recorded, last step first'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;mirror;help;status'= {
        }
        &'kafka-failover;mirror;help;pause'= {
        }
        &'kafka-failover;mirror;help;resume'= {
        }
        &'kafka-failover;mirror;help;reverse'= {
        }
        &'kafka-failover;mirror;help;rollback'= {
        }
        &'kafka-failover;mirror;help;help'= {
        }
        &'kafka-failover;failover'= {
            cand --lost 'The datacenter that is lost'
            cand --resume 'Continue the run this journal records (after a crash or Ctrl-C)'
            cand --state-dir 'Directory for run journals and state that outlives a run'
            cand --wait 'Longest any wait step waits (mirror drained, groups caught up, replicas in sync)'
            cand --group 'Group ids matching the topology''s group patterns, for clusters that cannot list groups (repeatable)'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand --planned 'A controlled switchover: the source is healthy; drain it, then move groups exactly'
            cand --execute 'Apply the plan (default: only print it)'
            cand -y 'Do not ask for confirmation (needed without a terminal)'
            cand --yes 'Do not ask for confirmation (needed without a terminal)'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;failback'= {
            cand --returning 'The datacenter that returns'
            cand --resume 'Continue the run this journal records (after a crash or Ctrl-C)'
            cand --state-dir 'Directory for run journals and state that outlives a run'
            cand --wait 'Longest any wait step waits (mirror drained, groups caught up, replicas in sync)'
            cand --group 'Group ids matching the topology''s group patterns, for clusters that cannot list groups (repeatable)'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand --switch 'Active/passive: also switch back now (stop producers, drain, move groups, restore the mirror)'
            cand --execute 'Apply the plan (default: only print it)'
            cand -y 'Do not ask for confirmation (needed without a terminal)'
            cand --yes 'Do not ask for confirmation (needed without a terminal)'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;ready'= {
            cand --dc 'Only these datacenters (repeatable; default: every DC a failover can leave)'
            cand --group 'Also check these group ids (repeatable)'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;drill'= {
            cand --engine 'What runs the lab''s clusters'
            cand --kafka-libs 'Folder of Kafka jars for `--engine kafka` (default: scripts/fetch-kafka''s cache)'
            cand --brokers 'Brokers per lab cluster (real-Kafka labs: each broker is a JVM)'
            cand --extra-groups 'Extra lab groups copied from the topology''s single-active ones (load)'
            cand --lost 'The datacenter to lose (default: the one the pattern fails over from)'
            cand --report-dir 'Write drill-report.json, drill-report.xml (JUnit) and drill-report.md here'
            cand --state-dir 'Directory for run journals'
            cand --wait 'Longest any wait step waits'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand --lab 'Run on the embedded lab (clusters shaped like the topology), not on its clusters'
            cand --planned 'A controlled switchover instead of a disaster'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kafka-failover;rollback'= {
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand --execute 'Apply the undo (default: only print it)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;lock'= {
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand status 'Who holds the run lock of a topology on a cluster, and until when'
            cand break 'Free the run lock of a run known to be dead (plans; --execute applies)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;lock;status'= {
            cand --cluster 'The cluster holding the lock (the surviving cluster the run named)'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;lock;break'= {
            cand --cluster 'The cluster holding the lock (the surviving cluster the run named)'
            cand -X 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --client-property 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)'
            cand --timeout 'Deadline of each request to a cluster (e.g. `10s`, `1m`)'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand --execute 'Break it (default: only show who holds it)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;lock;help'= {
            cand status 'Who holds the run lock of a topology on a cluster, and until when'
            cand break 'Free the run lock of a run known to be dead (plans; --execute applies)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;lock;help;status'= {
        }
        &'kafka-failover;lock;help;break'= {
        }
        &'kafka-failover;lock;help;help'= {
        }
        &'kafka-failover;lab'= {
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand up 'Start clusters shaped like TOPOLOGY, seed them and keep records flowing'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;lab;up'= {
            cand --write-topology 'Write a copy of the topology pointed at the lab''s clusters here'
            cand --for 'Stop after this long (default: run until Ctrl-C)'
            cand --engine 'What runs the clusters'
            cand --kafka-libs 'Folder of Kafka jars for `--engine kafka` (default: scripts/fetch-kafka''s cache)'
            cand --partitions 'Partitions per topic'
            cand --records 'Records seeded per partition before groups commit (at half)'
            cand --brokers 'Brokers per cluster (at least one per DC; racks taken in turn). Real-Kafka labs: each broker is a JVM'
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kafka-failover;lab;help'= {
            cand up 'Start clusters shaped like TOPOLOGY, seed them and keep records flowing'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;lab;help;up'= {
        }
        &'kafka-failover;lab;help;help'= {
        }
        &'kafka-failover;completions'= {
            cand -o 'Output format of the data written to stdout'
            cand --output 'Output format of the data written to stdout'
            cand -q 'Print only data and errors (no progress, no notes)'
            cand --quiet 'Print only data and errors (no progress, no notes)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand --no-color 'Never color output (also: the NO_COLOR environment variable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kafka-failover;help'= {
            cand topology 'Validate, lint and inspect topology files (offline)'
            cand cluster 'Cluster health: brokers per DC, partitions, groups'
            cand placement 'Rack-aware replica placement checks and fix proposals'
            cand offsets 'Consumer-group offsets: show, reset, rollback'
            cand mirror 'MirrorMaker 2 control: status, pause, resume, reverse'
            cand failover 'Fail over away from a lost datacenter (plans; --execute applies)'
            cand failback 'Fail back to a returning datacenter (plans; --execute applies)'
            cand ready 'Would a failover away from each datacenter succeed now? (changes nothing)'
            cand drill 'Run a failover and failback end to end and report on it'
            cand rollback 'Undo what a failover or failback run did, from its run journal'
            cand lock 'The run lock on a cluster: who holds it; break a dead run''s lock'
            cand lab 'Embedded clusters shaped like a topology, with traffic (no Kafka install needed)'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kafka-failover;help;topology'= {
            cand validate 'Check that topology files are valid (syntax, types, references, secrets)'
            cand lint 'Check topology files against operational rules (warnings)'
            cand schema 'Print the JSON Schema of the topology format'
            cand show 'Summarise a topology: datacenters, clusters, mirrors, consumer groups'
        }
        &'kafka-failover;help;topology;validate'= {
        }
        &'kafka-failover;help;topology;lint'= {
        }
        &'kafka-failover;help;topology;schema'= {
        }
        &'kafka-failover;help;topology;show'= {
        }
        &'kafka-failover;help;cluster'= {
            cand status 'Reachability, brokers per DC, controller, partitions at risk and groups, per cluster'
        }
        &'kafka-failover;help;cluster;status'= {
        }
        &'kafka-failover;help;placement'= {
            cand check 'Check replica placement against the topology; `--lose DC` shows what losing DCs does'
            cand propose 'Write a minimal-move reassignment (kafka-reassign-partitions JSON) that fixes violations'
        }
        &'kafka-failover;help;placement;check'= {
        }
        &'kafka-failover;help;placement;propose'= {
        }
        &'kafka-failover;help;offsets'= {
            cand show 'Committed offset, log start/end and lag per group and partition'
            cand reset 'Plan (and with --execute apply) new committed offsets for consumer groups'
            cand rollback 'Restore exactly the offsets a reset''s journal recorded before it wrote'
        }
        &'kafka-failover;help;offsets;show'= {
        }
        &'kafka-failover;help;offsets;reset'= {
        }
        &'kafka-failover;help;offsets;rollback'= {
        }
        &'kafka-failover;help;mirror'= {
            cand status 'Per mirror: driver, connectors and tasks, lag per topic, checkpoint and offset-sync age'
            cand pause 'Pause a mirror (plan; --execute applies)'
            cand resume 'Resume a paused or stopped mirror (plan; --execute applies)'
            cand reverse 'Stop a mirror and start the reverse direction without copying anything twice'
            cand rollback 'Undo what a mirror journal recorded, last step first'
        }
        &'kafka-failover;help;mirror;status'= {
        }
        &'kafka-failover;help;mirror;pause'= {
        }
        &'kafka-failover;help;mirror;resume'= {
        }
        &'kafka-failover;help;mirror;reverse'= {
        }
        &'kafka-failover;help;mirror;rollback'= {
        }
        &'kafka-failover;help;failover'= {
        }
        &'kafka-failover;help;failback'= {
        }
        &'kafka-failover;help;ready'= {
        }
        &'kafka-failover;help;drill'= {
        }
        &'kafka-failover;help;rollback'= {
        }
        &'kafka-failover;help;lock'= {
            cand status 'Who holds the run lock of a topology on a cluster, and until when'
            cand break 'Free the run lock of a run known to be dead (plans; --execute applies)'
        }
        &'kafka-failover;help;lock;status'= {
        }
        &'kafka-failover;help;lock;break'= {
        }
        &'kafka-failover;help;lab'= {
            cand up 'Start clusters shaped like TOPOLOGY, seed them and keep records flowing'
        }
        &'kafka-failover;help;lab;up'= {
        }
        &'kafka-failover;help;completions'= {
        }
        &'kafka-failover;help;help'= {
        }
    ]
    $completions[$command]
}
