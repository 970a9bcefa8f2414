// Starts a ClickHouse server (Debian's clickhouse-server, 18.16 on the
// project's machines) as an ordinary process for a test: its config, users,
// data and logs in a fresh temporary folder, HTTP and native TCP on free ports
// of 127.0.0.1 only. `stop()` ends the process and removes the folder.
//
//   const ch = await startClickHouse();
//   await ch.query('SELECT 1');                  // text of the answer
//   await ch.query('INSERT INTO t FORMAT JSONEachRow', ndjsonText);
//   await ch.stop();
//
// A server that does not answer in time, or exits, makes startClickHouse throw
// an Error whose message carries the end of its logs.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const SETPRIV = '/usr/bin/setpriv';

// $CLICKHOUSE_SERVER, else clickhouse-server on PATH, else Debian's path.
export function clickhouseServerPath() {
  if (process.env.CLICKHOUSE_SERVER) return process.env.CLICKHOUSE_SERVER;
  const dirs = (process.env.PATH || '').split(path.delimiter).concat(['/usr/sbin', '/usr/bin']);
  for (const dir of dirs) {
    const candidate = path.join(dir, 'clickhouse-server');
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function configXml(dir, httpPort, tcpPort) {
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>information</level>
    <log>${dir}/log/server.log</log>
    <errorlog>${dir}/log/server.err.log</errorlog>
    <size>100M</size>
    <count>1</count>
    <console>0</console>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <max_concurrent_queries>20</max_concurrent_queries>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>2000000000</max_memory_usage>
      <max_threads>2</max_threads>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
`;

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${path.basename(file)})`;
  }
}

// POSTs `body` (the data of an INSERT, or nothing) with the query in the URL,
// on a connection of its own (a kept-alive one would hold the server's
// shutdown for seconds). Resolves with the answer's text; rejects with ClickHouse's message on a
// status other than 200.
function httpQuery(port, sql, body, settings = {}) {
  const params = new URLSearchParams({ query: sql, ...settings });
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: `/?${params}`, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode === 200) resolve(text);
          else reject(new Error(`ClickHouse HTTP ${res.statusCode} for ${sql.slice(0, 200)}: ${text.trim()}`));
        });
      },
    );
    req.on('error', reject);
    req.end(body ?? '');
  });
}

async function waitUntilAnswering(server, child, deadlineMs) {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`clickhouse-server exited (${child.exitCode ?? child.signalCode})`);
    }
    try {
      if ((await httpQuery(server.httpPort, 'SELECT 1')).trim() === '1') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadlineMs) throw new Error('clickhouse-server did not answer in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startClickHouse({ timeoutMs = 120000 } = {}) {
  const binary = clickhouseServerPath();
  if (!binary) {
    throw new Error('clickhouse-server is missing (apt-get install -y clickhouse-server, or scripts/setup)');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callsight-clickhouse-'));
  const httpPort = await freePort();
  let tcpPort = await freePort();
  while (tcpPort === httpPort) tcpPort = await freePort();
  writeFileSync(path.join(dir, 'config.xml'), configXml(dir, httpPort, tcpPort));
  writeFileSync(path.join(dir, 'users.xml'), USERS_XML);
  // Through setpriv (util-linux), the server gets SIGKILL when this process
  // dies, however it dies; 'exit' below covers the ordinary ends.
  const command = [binary, `--config-file=${dir}/config.xml`];
  if (existsSync(SETPRIV)) command.unshift(SETPRIV, '--pdeathsig', 'KILL');
  const child = spawn(command[0], command.slice(1), {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-8000)));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  // A test that ends without stop() (a crash, an uncaught error) must not
  // leave the server running.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const server = {
    dir,
    httpPort,
    tcpPort,
    query: (sql, body, settings) => httpQuery(httpPort, sql, body, settings),
    logs: () =>
      `--- stderr ---\n${stderr}\n--- server.err.log ---\n${tail(path.join(dir, 'log/server.err.log'))}` +
      `\n--- server.log ---\n${tail(path.join(dir, 'log/server.log'))}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(killer);
      }
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilAnswering(server, child, Date.now() + timeoutMs);
  } catch (e) {
    const logs = server.logs();
    await server.stop();
    throw new Error(`${e.message} (${binary}, ports ${httpPort}/${tcpPort})\n${logs}`);
  }
  return server;
}
