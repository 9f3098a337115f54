import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../src/memory.js';

describe('collectGarbage', () => {
  it('runs a full collection: an object only a weak reference holds is gone after it', async () => {
    let target: object | undefined = { big: new Array(1000).fill('x') };
    const ref = new WeakRef(target);
    target = undefined;
    // A WeakRef's target is kept until the end of the current job: collect in a later one.
    await new Promise((r) => setTimeout(r, 0));
    expect(collectGarbage()).toBe(true);
    expect(ref.deref()).toBeUndefined();
  });
});
