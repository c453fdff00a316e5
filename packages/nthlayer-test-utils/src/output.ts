/**
 * Collects what the code under test writes to stdout and stderr (and keeps it off the test
 * output) until `jest.restoreAllMocks()`.
 */
export function captureOutput(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation(s => out.push(String(s)) > 0);
  jest.spyOn(process.stderr, 'write').mockImplementation(s => err.push(String(s)) > 0);
  return { out, err };
}
