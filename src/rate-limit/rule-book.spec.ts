import { parseRateLimits } from '../config/rate-limit-rules.js';
import { RuleBook } from './rule-book.js';

describe('RuleBook', () => {
  it('a key line wins over the general one, and unknown features find nothing', () => {
    const book = new RuleBook(parseRateLimits('default=6/60s,alice:default=9/60s').rules);
    expect(book.find('default', 'alice')?.limit).toBe(9);
    expect(book.find('default', 'bob')?.limit).toBe(6);
    expect(book.find('tasks:made-up', 'alice')).toBeUndefined();
  });
});
