
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kafka-failover' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kafka-failover'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kafka-failover' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('topology', 'topology', [CompletionResultType]::ParameterValue, 'Validate, lint and inspect topology files (offline)')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'Cluster health: brokers per DC, partitions, groups')
            [CompletionResult]::new('placement', 'placement', [CompletionResultType]::ParameterValue, 'Rack-aware replica placement checks and fix proposals')
            [CompletionResult]::new('offsets', 'offsets', [CompletionResultType]::ParameterValue, 'Consumer-group offsets: show, reset, rollback')
            [CompletionResult]::new('mirror', 'mirror', [CompletionResultType]::ParameterValue, 'MirrorMaker 2 control: status, pause, resume, reverse')
            [CompletionResult]::new('failover', 'failover', [CompletionResultType]::ParameterValue, 'Fail over away from a lost datacenter (plans; --execute applies)')
            [CompletionResult]::new('failback', 'failback', [CompletionResultType]::ParameterValue, 'Fail back to a returning datacenter (plans; --execute applies)')
            [CompletionResult]::new('ready', 'ready', [CompletionResultType]::ParameterValue, 'Would a failover away from each datacenter succeed now? (changes nothing)')
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Run a failover and failback end to end and report on it')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo what a failover or failback run did, from its run journal')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'The run lock on a cluster: who holds it; break a dead run''s lock')
            [CompletionResult]::new('lab', 'lab', [CompletionResultType]::ParameterValue, 'Embedded clusters shaped like a topology, with traffic (no Kafka install needed)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;topology' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check that topology files are valid (syntax, types, references, secrets)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check topology files against operational rules (warnings)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the topology format')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Summarise a topology: datacenters, clusters, mirrors, consumer groups')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;topology;validate' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;topology;lint' {
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Exit 1 when any finding of this severity is found')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--list-rules', '--list-rules', [CompletionResultType]::ParameterName, 'List every lint rule with its explanation')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;topology;schema' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;topology;show' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;topology;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check that topology files are valid (syntax, types, references, secrets)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check topology files against operational rules (warnings)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the topology format')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Summarise a topology: datacenters, clusters, mirrors, consumer groups')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;topology;help;validate' {
            break
        }
        'kafka-failover;topology;help;lint' {
            break
        }
        'kafka-failover;topology;help;schema' {
            break
        }
        'kafka-failover;topology;help;show' {
            break
        }
        'kafka-failover;topology;help;help' {
            break
        }
        'kafka-failover;cluster' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Reachability, brokers per DC, controller, partitions at risk and groups, per cluster')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;cluster;status' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only these clusters (repeatable; default: all)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;cluster;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Reachability, brokers per DC, controller, partitions at risk and groups, per cluster')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;cluster;help;status' {
            break
        }
        'kafka-failover;cluster;help;help' {
            break
        }
        'kafka-failover;placement' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check replica placement against the topology; `--lose DC` shows what losing DCs does')
            [CompletionResult]::new('propose', 'propose', [CompletionResultType]::ParameterValue, 'Write a minimal-move reassignment (kafka-reassign-partitions JSON) that fixes violations')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;placement;check' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only these clusters (repeatable; default: all)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only topics matching this regex (repeatable)')
            [CompletionResult]::new('--lose', '--lose', [CompletionResultType]::ParameterName, 'What-if: these datacenters are lost (repeatable)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;placement;propose' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The cluster (required when the topology has several)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only topics matching this regex (repeatable)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Where to write the reassignment JSON')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;placement;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check replica placement against the topology; `--lose DC` shows what losing DCs does')
            [CompletionResult]::new('propose', 'propose', [CompletionResultType]::ParameterValue, 'Write a minimal-move reassignment (kafka-reassign-partitions JSON) that fixes violations')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;placement;help;check' {
            break
        }
        'kafka-failover;placement;help;propose' {
            break
        }
        'kafka-failover;placement;help;help' {
            break
        }
        'kafka-failover;offsets' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Committed offset, log start/end and lag per group and partition')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Plan (and with --execute apply) new committed offsets for consumer groups')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Restore exactly the offsets a reset''s journal recorded before it wrote')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;offsets;show' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The cluster')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'A consumer group (repeatable)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'A consumer group (repeatable)')
            [CompletionResult]::new('--group-regex', '--group-regex', [CompletionResultType]::ParameterName, 'Groups whose id matches this regex (anchored; lists the cluster''s groups)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only these topics, `TOPIC` or `TOPIC:P,P,...` (repeatable)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--all-groups', '--all-groups', [CompletionResultType]::ParameterName, 'Every group of the cluster')
            [CompletionResult]::new('--groups-from-topology', '--groups-from-topology', [CompletionResultType]::ParameterName, 'The topology''s consumer groups (each with its own failover strategy for `reset`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;offsets;reset' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The cluster whose groups are reset')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'A consumer group (repeatable)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'A consumer group (repeatable)')
            [CompletionResult]::new('--group-regex', '--group-regex', [CompletionResultType]::ParameterName, 'Groups whose id matches this regex (anchored; lists the cluster''s groups)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only these topics, `TOPIC` or `TOPIC:P,P,...` (repeatable; default: the group''s)')
            [CompletionResult]::new('--to-datetime', '--to-datetime', [CompletionResultType]::ParameterName, 'To the first record at or after this time (RFC 3339 with zone, e.g. 2026-11-24T03:00:00Z)')
            [CompletionResult]::new('--by-duration', '--by-duration', [CompletionResultType]::ParameterName, 'To the first record at or after now minus this (e.g. 15m)')
            [CompletionResult]::new('--shift-by', '--shift-by', [CompletionResultType]::ParameterName, 'Move the committed offset by N (negative: back)')
            [CompletionResult]::new('--to-offset', '--to-offset', [CompletionResultType]::ParameterName, 'To this offset')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Offsets from a plan file: this tool''s --export (CSV/JSON) or kafka-consumer-groups'' CSV')
            [CompletionResult]::new('--to-group', '--to-group', [CompletionResultType]::ParameterName, 'Copy another group''s committed positions')
            [CompletionResult]::new('--translated-from', '--translated-from', [CompletionResultType]::ParameterName, 'Translate with the MirrorMaker 2 checkpoints of the mirror from this cluster')
            [CompletionResult]::new('--fallback-by-duration', '--fallback-by-duration', [CompletionResultType]::ParameterName, 'With --translated-from: partitions without a checkpoint go to now minus this')
            [CompletionResult]::new('--export', '--export', [CompletionResultType]::ParameterName, 'Write the plan to FILE (`.json`: JSON, else CSV) for a later --from-file')
            [CompletionResult]::new('--journal', '--journal', [CompletionResultType]::ParameterName, 'Journal path (default: kafka-failover-reset-<cluster>-<time>.journal.jsonl in --journal-dir)')
            [CompletionResult]::new('--journal-dir', '--journal-dir', [CompletionResultType]::ParameterName, 'Folder for journals')
            [CompletionResult]::new('--wait-empty', '--wait-empty', [CompletionResultType]::ParameterName, 'Wait up to this long for groups with live members to empty')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue an interrupted reset from its journal (its targets; converges)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--all-groups', '--all-groups', [CompletionResultType]::ParameterName, 'Every group of the cluster')
            [CompletionResult]::new('--groups-from-topology', '--groups-from-topology', [CompletionResultType]::ParameterName, 'The topology''s consumer groups (each with its own failover strategy for `reset`)')
            [CompletionResult]::new('--to-earliest', '--to-earliest', [CompletionResultType]::ParameterName, 'To the log start')
            [CompletionResult]::new('--to-latest', '--to-latest', [CompletionResultType]::ParameterName, 'To the log end')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Apply the plan (after confirmation on a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Apply a --from-file plan even if the groups'' offsets changed since it was made')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;offsets;rollback' {
            [CompletionResult]::new('--topology', '--topology', [CompletionResultType]::ParameterName, 'Topology file (default: the one the journal names)')
            [CompletionResult]::new('--journal-dir', '--journal-dir', [CompletionResultType]::ParameterName, 'Folder for the rollback''s own journal')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Apply the rollback (after confirmation on a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Roll back even where offsets changed since the reset')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;offsets;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Committed offset, log start/end and lag per group and partition')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Plan (and with --execute apply) new committed offsets for consumer groups')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Restore exactly the offsets a reset''s journal recorded before it wrote')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;offsets;help;show' {
            break
        }
        'kafka-failover;offsets;help;reset' {
            break
        }
        'kafka-failover;offsets;help;rollback' {
            break
        }
        'kafka-failover;offsets;help;help' {
            break
        }
        'kafka-failover;mirror' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Per mirror: driver, connectors and tasks, lag per topic, checkpoint and offset-sync age')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause a mirror (plan; --execute applies)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused or stopped mirror (plan; --execute applies)')
            [CompletionResult]::new('reverse', 'reverse', [CompletionResultType]::ParameterValue, 'Stop a mirror and start the reverse direction without copying anything twice')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo what a mirror journal recorded, last step first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;mirror;status' {
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'Only this mirror (repeatable; default: all)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;mirror;pause' {
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'The mirror')
            [CompletionResult]::new('--journal-dir', '--journal-dir', [CompletionResultType]::ParameterName, 'Folder for the journal')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Longest wait for a mirror to reach a state')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Apply the plan (after confirmation on a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;mirror;resume' {
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'The mirror')
            [CompletionResult]::new('--journal-dir', '--journal-dir', [CompletionResultType]::ParameterName, 'Folder for the journal')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Longest wait for a mirror to reach a state')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Apply the plan (after confirmation on a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;mirror;reverse' {
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'The mirror to reverse')
            [CompletionResult]::new('--write-topology', '--write-topology', [CompletionResultType]::ParameterName, 'Also write the topology with the mirror reversed (and primary/standby swapped) here')
            [CompletionResult]::new('--connector-config', '--connector-config', [CompletionResultType]::ParameterName, 'A config key for every connector of the reverse flow, e.g. `replication.factor=3` (repeatable)')
            [CompletionResult]::new('--journal-dir', '--journal-dir', [CompletionResultType]::ParameterName, 'Folder for the journal')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Longest wait for a mirror to reach a state')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Dedicated mode under the identity policy cannot position the reverse flow: copy from the log start anyway')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Apply the plan (after confirmation on a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;mirror;rollback' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to the mirror''s driver (e.g. `10s`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Apply the rollback (after confirmation on a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;mirror;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Per mirror: driver, connectors and tasks, lag per topic, checkpoint and offset-sync age')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause a mirror (plan; --execute applies)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused or stopped mirror (plan; --execute applies)')
            [CompletionResult]::new('reverse', 'reverse', [CompletionResultType]::ParameterValue, 'Stop a mirror and start the reverse direction without copying anything twice')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo what a mirror journal recorded, last step first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;mirror;help;status' {
            break
        }
        'kafka-failover;mirror;help;pause' {
            break
        }
        'kafka-failover;mirror;help;resume' {
            break
        }
        'kafka-failover;mirror;help;reverse' {
            break
        }
        'kafka-failover;mirror;help;rollback' {
            break
        }
        'kafka-failover;mirror;help;help' {
            break
        }
        'kafka-failover;failover' {
            [CompletionResult]::new('--lost', '--lost', [CompletionResultType]::ParameterName, 'The datacenter that is lost')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the run this journal records (after a crash or Ctrl-C)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory for run journals and state that outlives a run')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Longest any wait step waits (mirror drained, groups caught up, replicas in sync)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Group ids matching the topology''s group patterns, for clusters that cannot list groups (repeatable)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--planned', '--planned', [CompletionResultType]::ParameterName, 'A controlled switchover: the source is healthy; drain it, then move groups exactly')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Apply the plan (default: only print it)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;failback' {
            [CompletionResult]::new('--returning', '--returning', [CompletionResultType]::ParameterName, 'The datacenter that returns')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the run this journal records (after a crash or Ctrl-C)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory for run journals and state that outlives a run')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Longest any wait step waits (mirror drained, groups caught up, replicas in sync)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Group ids matching the topology''s group patterns, for clusters that cannot list groups (repeatable)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--switch', '--switch', [CompletionResultType]::ParameterName, 'Active/passive: also switch back now (stop producers, drain, move groups, restore the mirror)')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Apply the plan (default: only print it)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;ready' {
            [CompletionResult]::new('--dc', '--dc', [CompletionResultType]::ParameterName, 'Only these datacenters (repeatable; default: every DC a failover can leave)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Also check these group ids (repeatable)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;drill' {
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'What runs the lab''s clusters')
            [CompletionResult]::new('--kafka-libs', '--kafka-libs', [CompletionResultType]::ParameterName, 'Folder of Kafka jars for `--engine kafka` (default: scripts/fetch-kafka''s cache)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Brokers per lab cluster (real-Kafka labs: each broker is a JVM)')
            [CompletionResult]::new('--extra-groups', '--extra-groups', [CompletionResultType]::ParameterName, 'Extra lab groups copied from the topology''s single-active ones (load)')
            [CompletionResult]::new('--lost', '--lost', [CompletionResultType]::ParameterName, 'The datacenter to lose (default: the one the pattern fails over from)')
            [CompletionResult]::new('--report-dir', '--report-dir', [CompletionResultType]::ParameterName, 'Write drill-report.json, drill-report.xml (JUnit) and drill-report.md here')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory for run journals')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Longest any wait step waits')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--lab', '--lab', [CompletionResultType]::ParameterName, 'Run on the embedded lab (clusters shaped like the topology), not on its clusters')
            [CompletionResult]::new('--planned', '--planned', [CompletionResultType]::ParameterName, 'A controlled switchover instead of a disaster')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kafka-failover;rollback' {
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Apply the undo (default: only print it)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;lock' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Who holds the run lock of a topology on a cluster, and until when')
            [CompletionResult]::new('break', 'break', [CompletionResultType]::ParameterValue, 'Free the run lock of a run known to be dead (plans; --execute applies)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;lock;status' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The cluster holding the lock (the surviving cluster the run named)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;lock;break' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The cluster holding the lock (the surviving cluster the run named)')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--client-property', '--client-property', [CompletionResultType]::ParameterName, 'A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of each request to a cluster (e.g. `10s`, `1m`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Break it (default: only show who holds it)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;lock;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Who holds the run lock of a topology on a cluster, and until when')
            [CompletionResult]::new('break', 'break', [CompletionResultType]::ParameterValue, 'Free the run lock of a run known to be dead (plans; --execute applies)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;lock;help;status' {
            break
        }
        'kafka-failover;lock;help;break' {
            break
        }
        'kafka-failover;lock;help;help' {
            break
        }
        'kafka-failover;lab' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Start clusters shaped like TOPOLOGY, seed them and keep records flowing')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;lab;up' {
            [CompletionResult]::new('--write-topology', '--write-topology', [CompletionResultType]::ParameterName, 'Write a copy of the topology pointed at the lab''s clusters here')
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'Stop after this long (default: run until Ctrl-C)')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'What runs the clusters')
            [CompletionResult]::new('--kafka-libs', '--kafka-libs', [CompletionResultType]::ParameterName, 'Folder of Kafka jars for `--engine kafka` (default: scripts/fetch-kafka''s cache)')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'Partitions per topic')
            [CompletionResult]::new('--records', '--records', [CompletionResultType]::ParameterName, 'Records seeded per partition before groups commit (at half)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Brokers per cluster (at least one per DC; racks taken in turn). Real-Kafka labs: each broker is a JVM')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kafka-failover;lab;help' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Start clusters shaped like TOPOLOGY, seed them and keep records flowing')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;lab;help;up' {
            break
        }
        'kafka-failover;lab;help;help' {
            break
        }
        'kafka-failover;completions' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data written to stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no progress, no notes)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: the NO_COLOR environment variable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kafka-failover;help' {
            [CompletionResult]::new('topology', 'topology', [CompletionResultType]::ParameterValue, 'Validate, lint and inspect topology files (offline)')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'Cluster health: brokers per DC, partitions, groups')
            [CompletionResult]::new('placement', 'placement', [CompletionResultType]::ParameterValue, 'Rack-aware replica placement checks and fix proposals')
            [CompletionResult]::new('offsets', 'offsets', [CompletionResultType]::ParameterValue, 'Consumer-group offsets: show, reset, rollback')
            [CompletionResult]::new('mirror', 'mirror', [CompletionResultType]::ParameterValue, 'MirrorMaker 2 control: status, pause, resume, reverse')
            [CompletionResult]::new('failover', 'failover', [CompletionResultType]::ParameterValue, 'Fail over away from a lost datacenter (plans; --execute applies)')
            [CompletionResult]::new('failback', 'failback', [CompletionResultType]::ParameterValue, 'Fail back to a returning datacenter (plans; --execute applies)')
            [CompletionResult]::new('ready', 'ready', [CompletionResultType]::ParameterValue, 'Would a failover away from each datacenter succeed now? (changes nothing)')
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Run a failover and failback end to end and report on it')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo what a failover or failback run did, from its run journal')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'The run lock on a cluster: who holds it; break a dead run''s lock')
            [CompletionResult]::new('lab', 'lab', [CompletionResultType]::ParameterValue, 'Embedded clusters shaped like a topology, with traffic (no Kafka install needed)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kafka-failover;help;topology' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check that topology files are valid (syntax, types, references, secrets)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check topology files against operational rules (warnings)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the topology format')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Summarise a topology: datacenters, clusters, mirrors, consumer groups')
            break
        }
        'kafka-failover;help;topology;validate' {
            break
        }
        'kafka-failover;help;topology;lint' {
            break
        }
        'kafka-failover;help;topology;schema' {
            break
        }
        'kafka-failover;help;topology;show' {
            break
        }
        'kafka-failover;help;cluster' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Reachability, brokers per DC, controller, partitions at risk and groups, per cluster')
            break
        }
        'kafka-failover;help;cluster;status' {
            break
        }
        'kafka-failover;help;placement' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check replica placement against the topology; `--lose DC` shows what losing DCs does')
            [CompletionResult]::new('propose', 'propose', [CompletionResultType]::ParameterValue, 'Write a minimal-move reassignment (kafka-reassign-partitions JSON) that fixes violations')
            break
        }
        'kafka-failover;help;placement;check' {
            break
        }
        'kafka-failover;help;placement;propose' {
            break
        }
        'kafka-failover;help;offsets' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Committed offset, log start/end and lag per group and partition')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Plan (and with --execute apply) new committed offsets for consumer groups')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Restore exactly the offsets a reset''s journal recorded before it wrote')
            break
        }
        'kafka-failover;help;offsets;show' {
            break
        }
        'kafka-failover;help;offsets;reset' {
            break
        }
        'kafka-failover;help;offsets;rollback' {
            break
        }
        'kafka-failover;help;mirror' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Per mirror: driver, connectors and tasks, lag per topic, checkpoint and offset-sync age')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause a mirror (plan; --execute applies)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused or stopped mirror (plan; --execute applies)')
            [CompletionResult]::new('reverse', 'reverse', [CompletionResultType]::ParameterValue, 'Stop a mirror and start the reverse direction without copying anything twice')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo what a mirror journal recorded, last step first')
            break
        }
        'kafka-failover;help;mirror;status' {
            break
        }
        'kafka-failover;help;mirror;pause' {
            break
        }
        'kafka-failover;help;mirror;resume' {
            break
        }
        'kafka-failover;help;mirror;reverse' {
            break
        }
        'kafka-failover;help;mirror;rollback' {
            break
        }
        'kafka-failover;help;failover' {
            break
        }
        'kafka-failover;help;failback' {
            break
        }
        'kafka-failover;help;ready' {
            break
        }
        'kafka-failover;help;drill' {
            break
        }
        'kafka-failover;help;rollback' {
            break
        }
        'kafka-failover;help;lock' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Who holds the run lock of a topology on a cluster, and until when')
            [CompletionResult]::new('break', 'break', [CompletionResultType]::ParameterValue, 'Free the run lock of a run known to be dead (plans; --execute applies)')
            break
        }
        'kafka-failover;help;lock;status' {
            break
        }
        'kafka-failover;help;lock;break' {
            break
        }
        'kafka-failover;help;lab' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Start clusters shaped like TOPOLOGY, seed them and keep records flowing')
            break
        }
        'kafka-failover;help;lab;up' {
            break
        }
        'kafka-failover;help;completions' {
            break
        }
        'kafka-failover;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
