import { startTcpProxy, type TcpProxy } from '@wikistream/tools/testing';

/** The shared TCP proxy in front of the real Elasticsearch, counting the HTTP requests it sees. */
export interface EsGate extends Pick<TcpProxy, 'url' | 'hold' | 'release' | 'close'> {
  /** HTTP requests that reached the gate so far (held ones too). */
  requests(): number;
}

const REQUEST_LINE = /(?:^|\r\n)(?:GET|POST|PUT|DELETE|HEAD) \S+ HTTP\/1\.1\r\n/g;

export async function startEsGate(elasticsearchUrl: string): Promise<EsGate> {
  const target = new URL(elasticsearchUrl);
  let requests = 0;
  const proxy = await startTcpProxy(
    { host: target.hostname, port: Number(target.port) },
    {
      onClientData: (chunk) => {
        requests += chunk.toString('latin1').match(REQUEST_LINE)?.length ?? 0;
      },
      closeAfterTest: false,
    },
  );
  return {
    url: proxy.url,
    requests: () => requests,
    hold: proxy.hold,
    release: proxy.release,
    close: proxy.close,
  };
}
