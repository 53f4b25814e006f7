# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kafka_failover_global_optspecs
    string join \n o/output= q/quiet v/verbose no-color h/help V/version
end

function __fish_kafka_failover_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kafka_failover_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kafka_failover_using_subcommand
    set -l cmd (__fish_kafka_failover_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -s V -l version -d 'Print version'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "topology" -d 'Validate, lint and inspect topology files (offline)'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "cluster" -d 'Cluster health: brokers per DC, partitions, groups'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "placement" -d 'Rack-aware replica placement checks and fix proposals'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "offsets" -d 'Consumer-group offsets: show, reset, rollback'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "mirror" -d 'MirrorMaker 2 control: status, pause, resume, reverse'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "failover" -d 'Fail over away from a lost datacenter (plans; --execute applies)'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "failback" -d 'Fail back to a returning datacenter (plans; --execute applies)'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "ready" -d 'Would a failover away from each datacenter succeed now? (changes nothing)'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "drill" -d 'Run a failover and failback end to end and report on it'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "rollback" -d 'Undo what a failover or failback run did, from its run journal'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "lock" -d 'The run lock on a cluster: who holds it; break a dead run\'s lock'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "lab" -d 'Embedded clusters shaped like a topology, with traffic (no Kafka install needed)'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c kafka-failover -n "__fish_kafka_failover_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and not __fish_seen_subcommand_from validate lint schema show help" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and not __fish_seen_subcommand_from validate lint schema show help" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and not __fish_seen_subcommand_from validate lint schema show help" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and not __fish_seen_subcommand_from validate lint schema show help" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and not __fish_seen_subcommand_from validate lint schema show help" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and not __fish_seen_subcommand_from validate lint schema show help" -f -a "validate" -d 'Check that topology files are valid (syntax, types, references, secrets)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and not __fish_seen_subcommand_from validate lint schema show help" -f -a "lint" -d 'Check topology files against operational rules (warnings)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and not __fish_seen_subcommand_from validate lint schema show help" -f -a "schema" -d 'Print the JSON Schema of the topology format'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and not __fish_seen_subcommand_from validate lint schema show help" -f -a "show" -d 'Summarise a topology: datacenters, clusters, mirrors, consumer groups'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and not __fish_seen_subcommand_from validate lint schema show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from validate" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from validate" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from lint" -l deny -d 'Exit 1 when any finding of this severity is found' -r -f -a "warnings\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from lint" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from lint" -l list-rules -d 'List every lint rule with its explanation'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from lint" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from lint" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from lint" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from lint" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from schema" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from schema" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from schema" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from schema" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from schema" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from show" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check that topology files are valid (syntax, types, references, secrets)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from help" -f -a "lint" -d 'Check topology files against operational rules (warnings)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from help" -f -a "schema" -d 'Print the JSON Schema of the topology format'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from help" -f -a "show" -d 'Summarise a topology: datacenters, clusters, mirrors, consumer groups'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand topology; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and not __fish_seen_subcommand_from status help" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and not __fish_seen_subcommand_from status help" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and not __fish_seen_subcommand_from status help" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and not __fish_seen_subcommand_from status help" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and not __fish_seen_subcommand_from status help" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and not __fish_seen_subcommand_from status help" -f -a "status" -d 'Reachability, brokers per DC, controller, partitions at risk and groups, per cluster'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and not __fish_seen_subcommand_from status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and __fish_seen_subcommand_from status" -l cluster -d 'Only these clusters (repeatable; default: all)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and __fish_seen_subcommand_from status" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and __fish_seen_subcommand_from status" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and __fish_seen_subcommand_from status" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "status" -d 'Reachability, brokers per DC, controller, partitions at risk and groups, per cluster'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and not __fish_seen_subcommand_from check propose help" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and not __fish_seen_subcommand_from check propose help" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and not __fish_seen_subcommand_from check propose help" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and not __fish_seen_subcommand_from check propose help" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and not __fish_seen_subcommand_from check propose help" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and not __fish_seen_subcommand_from check propose help" -f -a "check" -d 'Check replica placement against the topology; `--lose DC` shows what losing DCs does'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and not __fish_seen_subcommand_from check propose help" -f -a "propose" -d 'Write a minimal-move reassignment (kafka-reassign-partitions JSON) that fixes violations'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and not __fish_seen_subcommand_from check propose help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from check" -l cluster -d 'Only these clusters (repeatable; default: all)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from check" -l topic -d 'Only topics matching this regex (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from check" -l lose -d 'What-if: these datacenters are lost (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from check" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from check" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from check" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from check" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from propose" -l cluster -d 'The cluster (required when the topology has several)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from propose" -l topic -d 'Only topics matching this regex (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from propose" -l out -d 'Where to write the reassignment JSON' -r -F
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from propose" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from propose" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from propose" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from propose" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from propose" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from propose" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from propose" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check replica placement against the topology; `--lose DC` shows what losing DCs does'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from help" -f -a "propose" -d 'Write a minimal-move reassignment (kafka-reassign-partitions JSON) that fixes violations'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand placement; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and not __fish_seen_subcommand_from show reset rollback help" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and not __fish_seen_subcommand_from show reset rollback help" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and not __fish_seen_subcommand_from show reset rollback help" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and not __fish_seen_subcommand_from show reset rollback help" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and not __fish_seen_subcommand_from show reset rollback help" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and not __fish_seen_subcommand_from show reset rollback help" -f -a "show" -d 'Committed offset, log start/end and lag per group and partition'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and not __fish_seen_subcommand_from show reset rollback help" -f -a "reset" -d 'Plan (and with --execute apply) new committed offsets for consumer groups'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and not __fish_seen_subcommand_from show reset rollback help" -f -a "rollback" -d 'Restore exactly the offsets a reset\'s journal recorded before it wrote'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and not __fish_seen_subcommand_from show reset rollback help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from show" -l cluster -d 'The cluster' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from show" -s g -l group -d 'A consumer group (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from show" -l group-regex -d 'Groups whose id matches this regex (anchored; lists the cluster\'s groups)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from show" -l topic -d 'Only these topics, `TOPIC` or `TOPIC:P,P,...` (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from show" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from show" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from show" -l all-groups -d 'Every group of the cluster'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from show" -l groups-from-topology -d 'The topology\'s consumer groups (each with its own failover strategy for `reset`)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from show" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l cluster -d 'The cluster whose groups are reset' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -s g -l group -d 'A consumer group (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l group-regex -d 'Groups whose id matches this regex (anchored; lists the cluster\'s groups)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l topic -d 'Only these topics, `TOPIC` or `TOPIC:P,P,...` (repeatable; default: the group\'s)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l to-datetime -d 'To the first record at or after this time (RFC 3339 with zone, e.g. 2026-11-24T03:00:00Z)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l by-duration -d 'To the first record at or after now minus this (e.g. 15m)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l shift-by -d 'Move the committed offset by N (negative: back)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l to-offset -d 'To this offset' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l from-file -d 'Offsets from a plan file: this tool\'s --export (CSV/JSON) or kafka-consumer-groups\' CSV' -r -F
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l to-group -d 'Copy another group\'s committed positions' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l translated-from -d 'Translate with the MirrorMaker 2 checkpoints of the mirror from this cluster' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l fallback-by-duration -d 'With --translated-from: partitions without a checkpoint go to now minus this' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l export -d 'Write the plan to FILE (`.json`: JSON, else CSV) for a later --from-file' -r -F
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l journal -d 'Journal path (default: kafka-failover-reset-<cluster>-<time>.journal.jsonl in --journal-dir)' -r -F
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l journal-dir -d 'Folder for journals' -r -f -a "(__fish_complete_directories)"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l wait-empty -d 'Wait up to this long for groups with live members to empty' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l resume -d 'Continue an interrupted reset from its journal (its targets; converges)' -r -F
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l all-groups -d 'Every group of the cluster'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l groups-from-topology -d 'The topology\'s consumer groups (each with its own failover strategy for `reset`)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l to-earliest -d 'To the log start'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l to-latest -d 'To the log end'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l execute -d 'Apply the plan (after confirmation on a terminal)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -s y -l yes -d 'Do not ask for confirmation'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l force -d 'Apply a --from-file plan even if the groups\' offsets changed since it was made'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from reset" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from rollback" -l topology -d 'Topology file (default: the one the journal names)' -r -F
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from rollback" -l journal-dir -d 'Folder for the rollback\'s own journal' -r -f -a "(__fish_complete_directories)"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from rollback" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from rollback" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from rollback" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from rollback" -l execute -d 'Apply the rollback (after confirmation on a terminal)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from rollback" -s y -l yes -d 'Do not ask for confirmation'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from rollback" -l force -d 'Roll back even where offsets changed since the reset'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from rollback" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from rollback" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from rollback" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from rollback" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from help" -f -a "show" -d 'Committed offset, log start/end and lag per group and partition'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from help" -f -a "reset" -d 'Plan (and with --execute apply) new committed offsets for consumer groups'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from help" -f -a "rollback" -d 'Restore exactly the offsets a reset\'s journal recorded before it wrote'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand offsets; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and not __fish_seen_subcommand_from status pause resume reverse rollback help" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and not __fish_seen_subcommand_from status pause resume reverse rollback help" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and not __fish_seen_subcommand_from status pause resume reverse rollback help" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and not __fish_seen_subcommand_from status pause resume reverse rollback help" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and not __fish_seen_subcommand_from status pause resume reverse rollback help" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and not __fish_seen_subcommand_from status pause resume reverse rollback help" -f -a "status" -d 'Per mirror: driver, connectors and tasks, lag per topic, checkpoint and offset-sync age'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and not __fish_seen_subcommand_from status pause resume reverse rollback help" -f -a "pause" -d 'Pause a mirror (plan; --execute applies)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and not __fish_seen_subcommand_from status pause resume reverse rollback help" -f -a "resume" -d 'Resume a paused or stopped mirror (plan; --execute applies)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and not __fish_seen_subcommand_from status pause resume reverse rollback help" -f -a "reverse" -d 'Stop a mirror and start the reverse direction without copying anything twice'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and not __fish_seen_subcommand_from status pause resume reverse rollback help" -f -a "rollback" -d 'Undo what a mirror journal recorded, last step first'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and not __fish_seen_subcommand_from status pause resume reverse rollback help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from status" -l mirror -d 'Only this mirror (repeatable; default: all)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from status" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from status" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from status" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from pause" -l mirror -d 'The mirror' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from pause" -l journal-dir -d 'Folder for the journal' -r -f -a "(__fish_complete_directories)"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from pause" -l wait -d 'Longest wait for a mirror to reach a state' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from pause" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from pause" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from pause" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from pause" -l execute -d 'Apply the plan (after confirmation on a terminal)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from pause" -s y -l yes -d 'Do not ask for confirmation'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from pause" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from pause" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from pause" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from resume" -l mirror -d 'The mirror' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from resume" -l journal-dir -d 'Folder for the journal' -r -f -a "(__fish_complete_directories)"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from resume" -l wait -d 'Longest wait for a mirror to reach a state' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from resume" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from resume" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from resume" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from resume" -l execute -d 'Apply the plan (after confirmation on a terminal)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from resume" -s y -l yes -d 'Do not ask for confirmation'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from resume" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from resume" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from resume" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -l mirror -d 'The mirror to reverse' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -l write-topology -d 'Also write the topology with the mirror reversed (and primary/standby swapped) here' -r -F
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -l connector-config -d 'A config key for every connector of the reverse flow, e.g. `replication.factor=3` (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -l journal-dir -d 'Folder for the journal' -r -f -a "(__fish_complete_directories)"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -l wait -d 'Longest wait for a mirror to reach a state' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -l force -d 'Dedicated mode under the identity policy cannot position the reverse flow: copy from the log start anyway'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -l execute -d 'Apply the plan (after confirmation on a terminal)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -s y -l yes -d 'Do not ask for confirmation'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from reverse" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from rollback" -l timeout -d 'Deadline of each request to the mirror\'s driver (e.g. `10s`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from rollback" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from rollback" -l execute -d 'Apply the rollback (after confirmation on a terminal)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from rollback" -s y -l yes -d 'Do not ask for confirmation'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from rollback" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from rollback" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from rollback" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from rollback" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from help" -f -a "status" -d 'Per mirror: driver, connectors and tasks, lag per topic, checkpoint and offset-sync age'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Pause a mirror (plan; --execute applies)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Resume a paused or stopped mirror (plan; --execute applies)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from help" -f -a "reverse" -d 'Stop a mirror and start the reverse direction without copying anything twice'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from help" -f -a "rollback" -d 'Undo what a mirror journal recorded, last step first'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand mirror; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -l lost -d 'The datacenter that is lost' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -l resume -d 'Continue the run this journal records (after a crash or Ctrl-C)' -r -F
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -l state-dir -d 'Directory for run journals and state that outlives a run' -r -f -a "(__fish_complete_directories)"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -l wait -d 'Longest any wait step waits (mirror drained, groups caught up, replicas in sync)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -l group -d 'Group ids matching the topology\'s group patterns, for clusters that cannot list groups (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -l planned -d 'A controlled switchover: the source is healthy; drain it, then move groups exactly'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -l execute -d 'Apply the plan (default: only print it)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -s y -l yes -d 'Do not ask for confirmation (needed without a terminal)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failover" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -l returning -d 'The datacenter that returns' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -l resume -d 'Continue the run this journal records (after a crash or Ctrl-C)' -r -F
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -l state-dir -d 'Directory for run journals and state that outlives a run' -r -f -a "(__fish_complete_directories)"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -l wait -d 'Longest any wait step waits (mirror drained, groups caught up, replicas in sync)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -l group -d 'Group ids matching the topology\'s group patterns, for clusters that cannot list groups (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -l switch -d 'Active/passive: also switch back now (stop producers, drain, move groups, restore the mirror)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -l execute -d 'Apply the plan (default: only print it)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -s y -l yes -d 'Do not ask for confirmation (needed without a terminal)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand failback" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand ready" -l dc -d 'Only these datacenters (repeatable; default: every DC a failover can leave)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand ready" -l group -d 'Also check these group ids (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand ready" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand ready" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand ready" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand ready" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand ready" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand ready" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand ready" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -l engine -d 'What runs the lab\'s clusters' -r -f -a "mock\t'librdkafka\'s in-process mock clusters (nothing to install)'
kafka\t'Real Apache Kafka brokers from a folder of Kafka jars (`--kafka-libs`)'"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -l kafka-libs -d 'Folder of Kafka jars for `--engine kafka` (default: scripts/fetch-kafka\'s cache)' -r -f -a "(__fish_complete_directories)"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -l brokers -d 'Brokers per lab cluster (real-Kafka labs: each broker is a JVM)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -l extra-groups -d 'Extra lab groups copied from the topology\'s single-active ones (load)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -l lost -d 'The datacenter to lose (default: the one the pattern fails over from)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -l report-dir -d 'Write drill-report.json, drill-report.xml (JUnit) and drill-report.md here' -r -f -a "(__fish_complete_directories)"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -l state-dir -d 'Directory for run journals' -r -f -a "(__fish_complete_directories)"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -l wait -d 'Longest any wait step waits' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -l lab -d 'Run on the embedded lab (clusters shaped like the topology), not on its clusters'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -l planned -d 'A controlled switchover instead of a disaster'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand drill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand rollback" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand rollback" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand rollback" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand rollback" -l execute -d 'Apply the undo (default: only print it)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand rollback" -s y -l yes -d 'Do not ask for confirmation'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand rollback" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand rollback" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand rollback" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand rollback" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -f -a "status" -d 'Who holds the run lock of a topology on a cluster, and until when'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -f -a "break" -d 'Free the run lock of a run known to be dead (plans; --execute applies)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and not __fish_seen_subcommand_from status break help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from status" -l cluster -d 'The cluster holding the lock (the surviving cluster the run named)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from status" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from status" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from status" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from break" -l cluster -d 'The cluster holding the lock (the surviving cluster the run named)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from break" -s X -l client-property -d 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from break" -l timeout -d 'Deadline of each request to a cluster (e.g. `10s`, `1m`)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from break" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from break" -l execute -d 'Break it (default: only show who holds it)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from break" -s y -l yes -d 'Do not ask for confirmation'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from break" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from break" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from break" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from break" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from help" -f -a "status" -d 'Who holds the run lock of a topology on a cluster, and until when'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from help" -f -a "break" -d 'Free the run lock of a run known to be dead (plans; --execute applies)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lock; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and not __fish_seen_subcommand_from up help" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and not __fish_seen_subcommand_from up help" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and not __fish_seen_subcommand_from up help" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and not __fish_seen_subcommand_from up help" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and not __fish_seen_subcommand_from up help" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and not __fish_seen_subcommand_from up help" -f -a "up" -d 'Start clusters shaped like TOPOLOGY, seed them and keep records flowing'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and not __fish_seen_subcommand_from up help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from up" -l write-topology -d 'Write a copy of the topology pointed at the lab\'s clusters here' -r -F
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from up" -l for -d 'Stop after this long (default: run until Ctrl-C)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from up" -l engine -d 'What runs the clusters' -r -f -a "mock\t'librdkafka\'s in-process mock clusters (nothing to install)'
kafka\t'Real Apache Kafka brokers from a folder of Kafka jars (`--kafka-libs`)'"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from up" -l kafka-libs -d 'Folder of Kafka jars for `--engine kafka` (default: scripts/fetch-kafka\'s cache)' -r -f -a "(__fish_complete_directories)"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from up" -l partitions -d 'Partitions per topic' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from up" -l records -d 'Records seeded per partition before groups commit (at half)' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from up" -l brokers -d 'Brokers per cluster (at least one per DC; racks taken in turn). Real-Kafka labs: each broker is a JVM' -r
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from up" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from up" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from up" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from up" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from help" -f -a "up" -d 'Start clusters shaped like TOPOLOGY, seed them and keep records flowing'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand lab; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand completions" -s o -l output -d 'Output format of the data written to stdout' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand completions" -s q -l quiet -d 'Print only data and errors (no progress, no notes)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand completions" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand completions" -l no-color -d 'Never color output (also: the NO_COLOR environment variable)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand completions" -s h -l help -d 'Print help'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "topology" -d 'Validate, lint and inspect topology files (offline)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "cluster" -d 'Cluster health: brokers per DC, partitions, groups'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "placement" -d 'Rack-aware replica placement checks and fix proposals'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "offsets" -d 'Consumer-group offsets: show, reset, rollback'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "mirror" -d 'MirrorMaker 2 control: status, pause, resume, reverse'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "failover" -d 'Fail over away from a lost datacenter (plans; --execute applies)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "failback" -d 'Fail back to a returning datacenter (plans; --execute applies)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "ready" -d 'Would a failover away from each datacenter succeed now? (changes nothing)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "drill" -d 'Run a failover and failback end to end and report on it'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "rollback" -d 'Undo what a failover or failback run did, from its run journal'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "lock" -d 'The run lock on a cluster: who holds it; break a dead run\'s lock'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "lab" -d 'Embedded clusters shaped like a topology, with traffic (no Kafka install needed)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and not __fish_seen_subcommand_from topology cluster placement offsets mirror failover failback ready drill rollback lock lab completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from topology" -f -a "validate" -d 'Check that topology files are valid (syntax, types, references, secrets)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from topology" -f -a "lint" -d 'Check topology files against operational rules (warnings)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from topology" -f -a "schema" -d 'Print the JSON Schema of the topology format'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from topology" -f -a "show" -d 'Summarise a topology: datacenters, clusters, mirrors, consumer groups'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "status" -d 'Reachability, brokers per DC, controller, partitions at risk and groups, per cluster'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from placement" -f -a "check" -d 'Check replica placement against the topology; `--lose DC` shows what losing DCs does'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from placement" -f -a "propose" -d 'Write a minimal-move reassignment (kafka-reassign-partitions JSON) that fixes violations'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from offsets" -f -a "show" -d 'Committed offset, log start/end and lag per group and partition'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from offsets" -f -a "reset" -d 'Plan (and with --execute apply) new committed offsets for consumer groups'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from offsets" -f -a "rollback" -d 'Restore exactly the offsets a reset\'s journal recorded before it wrote'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from mirror" -f -a "status" -d 'Per mirror: driver, connectors and tasks, lag per topic, checkpoint and offset-sync age'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from mirror" -f -a "pause" -d 'Pause a mirror (plan; --execute applies)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from mirror" -f -a "resume" -d 'Resume a paused or stopped mirror (plan; --execute applies)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from mirror" -f -a "reverse" -d 'Stop a mirror and start the reverse direction without copying anything twice'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from mirror" -f -a "rollback" -d 'Undo what a mirror journal recorded, last step first'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from lock" -f -a "status" -d 'Who holds the run lock of a topology on a cluster, and until when'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from lock" -f -a "break" -d 'Free the run lock of a run known to be dead (plans; --execute applies)'
complete -c kafka-failover -n "__fish_kafka_failover_using_subcommand help; and __fish_seen_subcommand_from lab" -f -a "up" -d 'Start clusters shaped like TOPOLOGY, seed them and keep records flowing'
