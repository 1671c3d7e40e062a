/**
 * Static checks of docker-compose.yml that need no Docker engine. Pure: the parsed document and
 * the facts it is checked against go in, a list of problems comes out (empty = fine).
 */
export interface ConfigVariable {
  readonly variable: string;
  readonly required: boolean;
  readonly default?: string;
}

export interface ComposeFacts {
  readonly kafkaVersion: string;
  readonly elasticsearchVersion: string;
  /** `FROM … AS <target>` names found in each Dockerfile, by path relative to the build context. */
  readonly dockerfileTargets: Readonly<Record<string, readonly string[]>>;
  /** The variables each of our services' config schema knows. */
  readonly serviceConfig: Readonly<Record<string, readonly ConfigVariable[]>>;
  /** Topic name → expected partitions ('*' = configurable) and configs, from the shared topic specs. */
  readonly topics: Readonly<Record<string, { readonly configs: Readonly<Record<string, string>> }>>;
}

type Doc = Record<string, unknown>;
type Service = Record<string, unknown>;

const OUR_SERVICES = ['producer', 'indexer', 'api'] as const;
/** Services allowed to publish ports: the api, and services that only run under a profile. */
const PORT_OWNER = 'api';

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

function environmentKeys(service: Service): string[] {
  const environment = service.environment;
  if (Array.isArray(environment)) return environment.map((entry) => String(entry).split('=')[0] ?? '');
  return Object.keys(asRecord(environment));
}

function imageTag(service: Service): string | undefined {
  return typeof service.image === 'string' ? service.image.split(':').at(-1) : undefined;
}

function checkImagesAndBuilds(
  services: Record<string, Service>,
  facts: ComposeFacts,
  problems: string[],
): void {
  for (const [name, service] of Object.entries(services)) {
    const build = service.build;
    if (service.image === undefined && build === undefined)
      problems.push(`${name}: has neither image nor build`);
    if (build !== undefined) {
      const spec = typeof build === 'string' ? { context: build } : asRecord(build);
      const dockerfile = typeof spec.dockerfile === 'string' ? spec.dockerfile : 'Dockerfile';
      const targets = facts.dockerfileTargets[dockerfile];
      if (!targets) problems.push(`${name}: build uses ${dockerfile}, which does not exist`);
      else if (typeof spec.target === 'string' && !targets.includes(spec.target)) {
        problems.push(`${name}: build target ${spec.target} is not a stage of ${dockerfile}`);
      }
    }
  }
  const expectTag = (name: string, image: string, version: string) => {
    const service = services[name];
    if (!service) return problems.push(`${name}: service missing`);
    if (typeof service.image !== 'string' || !service.image.startsWith(`${image}:`)) {
      problems.push(`${name}: image must be ${image}:${version}`);
    } else if (imageTag(service) !== version) {
      problems.push(`${name}: image tag ${imageTag(service)} differs from the tested version ${version}`);
    }
  };
  expectTag('kafka', 'apache/kafka', facts.kafkaVersion);
  expectTag('kafka-init', 'apache/kafka', facts.kafkaVersion);
  expectTag('elasticsearch', 'docker.elastic.co/elasticsearch/elasticsearch', facts.elasticsearchVersion);
  expectTag('kibana', 'docker.elastic.co/kibana/kibana', facts.elasticsearchVersion);
}

function checkHealthAndDependencies(services: Record<string, Service>, problems: string[]): void {
  for (const name of ['kafka', 'elasticsearch', ...OUR_SERVICES]) {
    const healthcheck = asRecord(services[name]?.healthcheck);
    if (!Array.isArray(healthcheck.test) || healthcheck.test.length === 0)
      problems.push(`${name}: no healthcheck`);
  }
  for (const name of OUR_SERVICES) {
    const test = JSON.stringify(asRecord(services[name]?.healthcheck).test ?? '');
    if (!/readyz|\/api\/ready/.test(test))
      problems.push(`${name}: healthcheck does not ask /readyz (or /api/ready)`);
  }
  for (const [name, service] of Object.entries(services)) {
    const dependsOn = service.depends_on;
    if (dependsOn === undefined) continue;
    if (Array.isArray(dependsOn)) {
      problems.push(`${name}: depends_on must state a condition for each dependency`);
      continue;
    }
    for (const [dependency, spec] of Object.entries(asRecord(dependsOn))) {
      const condition = asRecord(spec).condition;
      const target = services[dependency];
      if (!target) problems.push(`${name}: depends on unknown service ${dependency}`);
      else if (condition === 'service_healthy' && !asRecord(target.healthcheck).test) {
        problems.push(`${name}: waits for ${dependency} to be healthy, but ${dependency} has no healthcheck`);
      } else if (condition === 'service_started' || condition === undefined) {
        problems.push(`${name}: depends on ${dependency} without waiting for health or completion`);
      }
    }
  }
  for (const name of OUR_SERVICES) {
    const dependsOn = asRecord(services[name]?.depends_on);
    if (asRecord(dependsOn['kafka-init']).condition !== 'service_completed_successfully') {
      problems.push(`${name}: must wait for kafka-init (service_completed_successfully)`);
    }
    if (services[name]?.restart === undefined) problems.push(`${name}: no restart policy`);
    if (
      services[name]?.mem_limit === undefined &&
      asRecord(asRecord(services[name]?.deploy).resources).limits === undefined
    ) {
      problems.push(`${name}: no memory limit`);
    }
  }
}

function checkPorts(services: Record<string, Service>, problems: string[]): void {
  const indexer = services.indexer;
  if (indexer?.container_name !== undefined) problems.push('indexer: container_name prevents --scale');
  for (const [name, service] of Object.entries(services)) {
    const ports = service.ports;
    const publishes = Array.isArray(ports) && ports.length > 0;
    const profiled = Array.isArray(service.profiles) && service.profiles.length > 0;
    if (publishes && name !== PORT_OWNER && !profiled)
      problems.push(`${name}: publishes ports; only the api may`);
    for (const entry of Array.isArray(ports) ? ports : []) {
      if (ALL_INTERFACES.has(publishedAddress(entry))) {
        problems.push(
          `${name}: publishes ${JSON.stringify(entry)} on every interface; bind it to an address`,
        );
      }
    }
  }
  const apiPort = '$' + '{API_BIND:-127.0.0.1}:$' + '{API_PORT:-3000}:3000';
  if (!(services[PORT_OWNER]?.ports as unknown[] | undefined)?.includes(apiPort)) {
    problems.push(`api: must publish ${apiPort} (loopback unless API_BIND widens it)`);
  }
}

/** Host addresses that mean "every interface" (no address given is the same). */
const ALL_INTERFACES = new Set(['', '0.0.0.0', '::', '[::]']);

/** The host address of a `ports` entry, short (`[ip:]host:container`) or long syntax; '' when none. */
function publishedAddress(entry: unknown): string {
  if (typeof entry === 'object' && entry !== null) return String(asRecord(entry).host_ip ?? '');
  // Variables (`${API_BIND:-127.0.0.1}`) and IPv6 addresses hold colons: set them aside to count fields.
  const parts: string[] = [];
  const fields = String(entry)
    .replace(/\$\{[^}]*\}|^\[[^\]]*\]/g, (part) => `@${parts.push(part) - 1}@`)
    .split(':');
  if (fields.length < 3) return '';
  return (fields[0] ?? '').replace(/@(\d+)@/g, (_, index: string) => parts[Number(index)] ?? '');
}

function checkEnvironment(services: Record<string, Service>, facts: ComposeFacts, problems: string[]): void {
  for (const name of OUR_SERVICES) {
    const known = facts.serviceConfig[name];
    const service = services[name];
    if (!known || !service) continue;
    const given = new Set(environmentKeys(service));
    const names = new Set(known.map((v) => v.variable));
    for (const variable of given) {
      if (!names.has(variable)) problems.push(`${name}: ${variable} is not a variable its config knows`);
    }
    for (const { variable, required } of known) {
      if (required && !given.has(variable))
        problems.push(`${name}: required variable ${variable} is not given`);
    }
  }
}

/** Topics kafka-init creates: `--topic NAME ... --config k=v` on one line each. */
export function initTopics(command: unknown): Record<string, Record<string, string>> {
  const script = Array.isArray(command) ? command.join('\n') : String(command ?? '');
  const topics: Record<string, Record<string, string>> = {};
  for (const line of script.split('\n')) {
    const topic = /--topic\s+(\S+)/.exec(line)?.[1];
    if (!topic) continue;
    const configs: Record<string, string> = {};
    for (const match of line.matchAll(/--config\s+([\w.]+)=(\S+)/g)) configs[match[1] ?? ''] = match[2] ?? '';
    topics[topic] = configs;
  }
  return topics;
}

function checkTopics(services: Record<string, Service>, facts: ComposeFacts, problems: string[]): void {
  const created = initTopics(services['kafka-init']?.command);
  for (const [topic, { configs }] of Object.entries(facts.topics)) {
    const actual = created[topic];
    if (!actual) {
      problems.push(`kafka-init: does not create ${topic}`);
      continue;
    }
    for (const [key, value] of Object.entries(configs)) {
      if (actual[key] !== value) problems.push(`kafka-init: ${topic} needs ${key}=${value}`);
    }
  }
}

export function checkCompose(doc: Doc, facts: ComposeFacts): string[] {
  const problems: string[] = [];
  if ('version' in doc) problems.push('the obsolete top-level version key is present');
  const services = asRecord(doc.services) as Record<string, Service>;
  checkImagesAndBuilds(services, facts, problems);
  checkHealthAndDependencies(services, problems);
  checkPorts(services, problems);
  checkEnvironment(services, facts, problems);
  checkTopics(services, facts, problems);
  return problems;
}
