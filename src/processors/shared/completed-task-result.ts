import { PermanentTaskError, type TaskContext } from '../../tasks/task-processor.host.js';
import type { TaskStore } from '../../tasks/task-store.service.js';

/**
 * The result of a task another task builds on. The API checked it when the task was created; by the time
 * it runs, retention may have removed it, which no retry can undo.
 */
export async function completedTaskResult<T>(
  store: TaskStore,
  id: string,
  type: string,
  context: TaskContext,
): Promise<T> {
  const found = await store.find(id);
  if (
    !found ||
    found.task.type !== type ||
    found.owner !== context.owner ||
    found.view.state !== 'completed'
  ) {
    throw new PermanentTaskError(`${id} is not a completed ${type} task of this task's owner`);
  }
  return found.view.result as T;
}
