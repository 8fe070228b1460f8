/** Where the queue dashboard is served (api and all roles). */
export const BULL_BOARD_PATH = '/admin/queues';
