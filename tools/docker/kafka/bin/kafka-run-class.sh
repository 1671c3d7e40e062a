#!/usr/bin/env bash
# Runs a Kafka class with the image's classpath, honouring the variables of Kafka's own script:
# KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_LOG4J_OPTS, KAFKA_OPTS.
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: kafka-run-class.sh CLASS [ARGS...]" >&2; exit 1; }
tools_log4j=/opt/kafka/config/tools-log4j2.yaml
[[ -f $tools_log4j ]] || tools_log4j=/etc/kafka/docker/tools-log4j2.yaml
read -r -a heap <<<"${KAFKA_HEAP_OPTS:--Xmx256M}"
read -r -a performance <<<"${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}"
read -r -a log4j <<<"${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$tools_log4j}"
read -r -a extra <<<"${KAFKA_OPTS-}"
exec java "${heap[@]}" "${performance[@]}" "${log4j[@]}" "${extra[@]}" -cp '/opt/kafka/libs/*' "$@"
