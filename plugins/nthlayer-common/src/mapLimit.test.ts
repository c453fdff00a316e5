import { mapLimit } from './mapLimit';

const tick = () => new Promise(r => setTimeout(r, 1));

describe('mapLimit', () => {
  it('keeps order and never has more than `limit` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 4, 3, 2, 1], 2, async n => {
      peak = Math.max(peak, ++inFlight);
      await tick();
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 40, 30, 20, 10]);
    expect(peak).toBe(2);
  });

  it('runs every item despite failures and rethrows the first error after all settled', async () => {
    const ran: number[] = [];
    await expect(
      mapLimit([1, 2, 3, 4], 2, async n => {
        await tick();
        ran.push(n);
        if (n === 1) throw new Error('one');
        return n;
      }),
    ).rejects.toThrow('one');
    expect(ran.sort()).toEqual([1, 2, 3, 4]);
  });

  it('with stopOnError starts nothing new after a failure, but lets started items settle', async () => {
    const ran: number[] = [];
    await expect(
      mapLimit(
        [1, 2, 3, 4, 5, 6],
        2,
        async n => {
          ran.push(n);
          await tick();
          if (n === 1) throw new Error('one');
          return n;
        },
        { stopOnError: true },
      ),
    ).rejects.toThrow('one');
    expect(ran.sort()).toEqual([1, 2]);
  });
});
