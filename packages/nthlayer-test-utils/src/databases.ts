/** The database engines the store tests run on. */
export type NthlayerTestDatabaseId = 'SQLITE_3' | 'POSTGRES_15';

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
let noticeShown = false;

/**
 * SQLite always; PostgreSQL 15 where `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING`
 * names a server (`scripts/test-all.sh` starts one and sets it). Without one the PostgreSQL
 * cases are left out and a notice says so — unless `NTHLAYER_REQUIRE_POSTGRES=1` (set by the
 * test command), which turns the missing server into an error, so the full run can never
 * pass on SQLite alone.
 */
export function storeDatabaseIds(): NthlayerTestDatabaseId[] {
  if (process.env[POSTGRES_ENV]) return ['SQLITE_3', 'POSTGRES_15'];
  if (process.env.NTHLAYER_REQUIRE_POSTGRES === '1') {
    throw new Error(
      `NTHLAYER_REQUIRE_POSTGRES=1 but ${POSTGRES_ENV} is not set: start PostgreSQL with scripts/test/start-postgres.sh`,
    );
  }
  if (!noticeShown) {
    noticeShown = true;
    // eslint-disable-next-line no-console
    console.info(
      `PostgreSQL store tests not run (SQLite only): set ${POSTGRES_ENV}, as scripts/test-all.sh does`,
    );
  }
  return ['SQLITE_3'];
}
