import type { AppConfig } from '../../../config/load-config.js';
import { ProviderHttpError } from '../../shared/provider-http.error.js';
import { parseRetryAfter } from '../../shared/retry-after.util.js';
import { sseData } from './sse-events.util.js';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface ChatCompletion {
  text: string;
  model: string;
  usage: TokenUsage | null;
  streamed: boolean;
}

export type LlmSettings = NonNullable<AppConfig['adapters']['llm']>;

const PROVIDER = 'the LLM provider';
/** A runaway answer is cut off rather than buffered without bound. */
const MAX_ANSWER_CHARS = 200_000;

interface ChoiceChunk {
  choices?: { delta?: { content?: string | null }; message?: { content?: string | null } }[];
  model?: string;
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
  error?: unknown;
}

function usageOf(raw: ChoiceChunk['usage']): TokenUsage | null {
  if (!raw) return null;
  const promptTokens = raw.prompt_tokens ?? 0;
  const completionTokens = raw.completion_tokens ?? 0;
  return { promptTokens, completionTokens, totalTokens: raw.total_tokens ?? promptTokens + completionTokens };
}

/**
 * `POST {LLM_BASE_URL}/chat/completions`, the OpenAI-compatible format most providers and local servers
 * speak. Asks for a stream when configured and reads whichever the server sends back (SSE or one JSON
 * body). Nothing here logs: the messages carry personal data and the headers the key.
 */
export class ChatCompletionsClient {
  constructor(private readonly settings: LlmSettings) {}

  async complete(
    messages: ChatMessage[],
    options: { signal?: AbortSignal; onText?: (chars: number) => void } = {},
  ): Promise<ChatCompletion> {
    const { baseUrl, apiKey, model, timeoutMs, stream, maxTokens } = this.settings;
    const signal = AbortSignal.any(
      [AbortSignal.timeout(timeoutMs), options.signal].filter((s): s is AbortSignal => !!s),
    );
    try {
      const res = await fetch(`${baseUrl}/chat/completions`, {
        method: 'POST',
        // A POST is never replayed elsewhere: a redirect is an error.
        redirect: 'error',
        signal,
        headers: {
          'content-type': 'application/json',
          accept: stream ? 'text/event-stream, application/json' : 'application/json',
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify({
          model,
          messages,
          max_tokens: maxTokens,
          ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
        }),
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw new ProviderHttpError(PROVIDER, res.status, parseRetryAfter(res.headers.get('retry-after')));
      }
      const isSse = (res.headers.get('content-type') ?? '').includes('text/event-stream');
      return isSse && res.body ? await this.readStream(res.body, options.onText) : await this.readJson(res);
    } catch (err) {
      if (!options.signal?.aborted && (err as Error)?.name === 'TimeoutError') {
        throw new Error(`${PROVIDER} did not finish within ${timeoutMs} ms`);
      }
      throw err;
    }
  }

  private async readStream(
    body: AsyncIterable<Uint8Array>,
    onText?: (chars: number) => void,
  ): Promise<ChatCompletion> {
    let text = '';
    let model = this.settings.model;
    let usage: TokenUsage | null = null;
    for await (const data of sseData(body)) {
      if (data.trim() === '[DONE]') break;
      const chunk = parseJson(data);
      // Some servers report a failure inside a stream that began with 200.
      if (chunk.error) throw new ProviderHttpError(PROVIDER, 502);
      model = chunk.model ?? model;
      usage = usageOf(chunk.usage) ?? usage;
      const delta = chunk.choices?.[0]?.delta?.content;
      if (delta) {
        text += delta;
        if (text.length > MAX_ANSWER_CHARS)
          throw new Error(`${PROVIDER} sent an answer over ${MAX_ANSWER_CHARS} characters`);
        onText?.(text.length);
      }
    }
    return { text, model, usage, streamed: true };
  }

  private async readJson(res: Response): Promise<ChatCompletion> {
    const body = parseJson(await res.text());
    const text = body.choices?.[0]?.message?.content ?? '';
    return { text, model: body.model ?? this.settings.model, usage: usageOf(body.usage), streamed: false };
  }
}

function parseJson(text: string): ChoiceChunk {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object') return value as ChoiceChunk;
  } catch {
    // reported below, without echoing the body
  }
  throw new Error(`${PROVIDER} sent a body that is not chat-completions JSON`);
}
