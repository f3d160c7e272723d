import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const KEYSTORE_PASSWORD = "test-keystore";

function openssl(dir: string, ...args: string[]) {
  const run = Bun.spawnSync(["openssl", ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr.toString()}`);
}

/**
 * A CA of the test's own and a server certificate it signed for 127.0.0.1 and localhost, as PEM
 * files and as the PKCS#12 keystore a Kafka broker reads, in a new temporary directory.
 */
export async function makeCertificates() {
  const dir = await mkdtemp(join(tmpdir(), "shop-tls-"));
  openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=shop test CA", "-keyout", "ca.key", "-out", "ca.pem");
  openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr");
  await Bun.write(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-extfile", "san.ext", "-out", "server.pem");
  openssl(dir, "pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key", "-certfile", "ca.pem", "-out", "server.p12", "-passout", `pass:${KEYSTORE_PASSWORD}`);
  return { dir, ca: join(dir, "ca.pem"), cert: join(dir, "server.pem"), key: join(dir, "server.key"), keystore: join(dir, "server.p12") };
}
