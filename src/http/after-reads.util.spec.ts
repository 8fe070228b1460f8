import { afterReads } from './after-reads.util.js';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('afterReads', () => {
  it('runs a turn’s callbacks together after the current turn, in order', async () => {
    const ran: string[] = [];
    afterReads(() => ran.push('a'));
    afterReads(() => ran.push('b'));
    ran.push('sync');
    await Promise.resolve();
    expect(ran).toEqual(['sync']);
    await nextTurn();
    expect(ran).toEqual(['sync', 'a', 'b']);
  });

  it('puts a callback queued while a batch runs into the next batch', async () => {
    const ran: string[] = [];
    afterReads(() => {
      ran.push('first');
      afterReads(() => ran.push('queued by first'));
    });
    afterReads(() => ran.push('second'));
    await nextTurn();
    expect(ran).toEqual(['first', 'second']);
    await nextTurn();
    expect(ran).toEqual(['first', 'second', 'queued by first']);
  });
});
