import { PrometheusInstanceHealth } from '@nthlayer/backstage-plugin-common';
import { PrometheusClient } from './PrometheusClient';
import { PrometheusInstanceConfig } from './config';

/** The configured Prometheus-compatible sources, by name; the first is the default. */
export class PrometheusRegistry {
  readonly #clients: Map<string, PrometheusClient>;

  static fromConfig(instances: PrometheusInstanceConfig[]): PrometheusRegistry {
    return new PrometheusRegistry(instances.map(i => new PrometheusClient(i)));
  }

  constructor(clients: PrometheusClient[]) {
    this.#clients = new Map(clients.map(c => [c.name, c]));
  }

  /** Instance names, default first. */
  get names(): string[] {
    return [...this.#clients.keys()];
  }

  /** The default instance's name: the first configured. */
  get defaultName(): string {
    return this.names[0];
  }

  get(name: string): PrometheusClient {
    const client = this.#clients.get(name);
    if (!client) throw new Error(`No Prometheus instance named "${name}"`);
    return client;
  }

  /** Queries sent through every instance since start. */
  get queryCount(): number {
    return [...this.#clients.values()].reduce((n, c) => n + c.queryCount, 0);
  }

  health(): PrometheusInstanceHealth[] {
    return [...this.#clients.values()].map(c => c.health());
  }
}
