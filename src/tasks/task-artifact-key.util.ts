import { sha256Hex } from '../artifacts/sha256.util.js';

/** Task ids may hold characters a key may not (":" in a schedule's runs): the key is the id's hash. */
export function artifactKeyOf(taskId: string, extension: string): string {
  const type = taskId.slice(0, taskId.indexOf('.'));
  return `${type}/${sha256Hex(taskId)}.${extension}`;
}
