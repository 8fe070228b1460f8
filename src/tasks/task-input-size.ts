import { PayloadTooLargeException } from '@nestjs/common';

/**
 * A task's input lives in Redis (the job's data) until retention removes it, and every worker and event
 * reader loads it: 413 past TASK_INPUT_MAX_BYTES, measured as the JSON that would be stored.
 */
export function checkInputSize(input: unknown, maxBytes: number): void {
  const json = JSON.stringify(input) ?? '';
  // A string is at most 3 bytes per UTF-16 unit, so most inputs are decided without measuring bytes.
  if (json.length * 3 <= maxBytes) return;
  if (Buffer.byteLength(json) > maxBytes) {
    throw new PayloadTooLargeException(`the task input is larger than ${maxBytes} bytes as JSON`);
  }
}
