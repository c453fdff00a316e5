/** One element of an instant-vector result. */
export interface VectorSample {
  labels: Record<string, string>;
  value: number;
}

/** Raised when Prometheus cannot be reached or rejects a query. */
export class PrometheusQueryError extends Error {
  constructor(message: string, readonly query: string) {
    super(message);
    this.name = 'PrometheusQueryError';
  }
}

export interface PrometheusClientOptions {
  baseUrl: string;
  timeoutMs: number;
  headers?: Record<string, string>;
}

/** A small client for the Prometheus HTTP API (also Thanos, Mimir, Cortex). */
export class PrometheusClient {
  #queries = 0;

  constructor(private readonly options: PrometheusClientOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Number of queries sent since creation (for benchmarks and tests). */
  get queryCount(): number {
    return this.#queries;
  }

  /** Runs an instant query at `time` and returns its vector. */
  async queryVector(query: string, time: Date): Promise<VectorSample[]> {
    this.#queries++;
    const body = new URLSearchParams({
      query,
      time: (time.getTime() / 1000).toFixed(3),
      timeout: `${Math.ceil(this.options.timeoutMs / 1000)}s`,
    });
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}/api/v1/query`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          ...this.options.headers,
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      throw new PrometheusQueryError(
        `Prometheus at ${this.options.baseUrl} is unreachable: ${cause ?? (e as Error).message}`,
        query,
      );
    }
    const text = await response.text();
    let payload: any;
    try {
      payload = JSON.parse(text);
    } catch {
      throw new PrometheusQueryError(
        `Prometheus at ${this.options.baseUrl} answered HTTP ${response.status} with a non-JSON body`,
        query,
      );
    }
    if (!response.ok || payload.status !== 'success') {
      throw new PrometheusQueryError(
        `Prometheus rejected the query (HTTP ${response.status}): ${payload.error ?? text.slice(0, 200)}`,
        query,
      );
    }
    if (payload.data?.resultType !== 'vector') {
      throw new PrometheusQueryError(
        `Expected a vector result, got ${payload.data?.resultType}`,
        query,
      );
    }
    return (payload.data.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map(
      s => ({ labels: s.metric, value: Number(s.value[1]) }),
    );
  }
}
