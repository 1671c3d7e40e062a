#!/usr/bin/env bash
# Starts Elasticsearch with the official image's conventions: every environment variable whose name
# contains a dot is a setting (discovery.type=single-node), ES_JAVA_OPTS sets the heap; the node
# replaces this shell so that it receives the container's signals.
set -euo pipefail
settings=()
while IFS='=' read -r -d '' name value; do
  [[ $name =~ ^[a-z0-9_]+\.[a-z0-9_.]+$ ]] && settings+=("-E" "$name=$value")
done < <(env -0)
exec /usr/share/elasticsearch/bin/elasticsearch "${settings[@]}" "$@"
