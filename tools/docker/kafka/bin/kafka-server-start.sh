#!/usr/bin/env bash
# Starts the broker in the foreground with the given server.properties.
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: kafka-server-start.sh server.properties" >&2; exit 1; }
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G}"
export KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=/opt/kafka/config/log4j2.yaml}"
exec /opt/kafka/bin/kafka-run-class.sh kafka.Kafka "$@"
