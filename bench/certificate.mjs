// A throwaway certificate for the https stand-in, written to a temp folder so client processes can
// trust it with NODE_EXTRA_CA_CERTS (read by Node at startup only, hence child processes; undici's
// global fetch honours it). The variable takes one file, so any extra CAs already configured are
// copied in front of ours rather than replaced.
// The certificate has no subjectAltName, so Node matches the host against its CN: clients must
// use https://localhost:PORT (an IP address such as 127.0.0.1 needs an IP SAN and is refused).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCertificate } from '@graphwire/testing';

export const HOST = 'localhost';

function existingExtraCas() {
  try {
    return process.env.NODE_EXTRA_CA_CERTS ? `${readFileSync(process.env.NODE_EXTRA_CA_CERTS, 'utf8').trimEnd()}\n` : '';
  } catch {
    return '';
  }
}

/**
 * Writes cert.pem, key.pem and ca.pem (the value for the clients' NODE_EXTRA_CA_CERTS);
 * `dispose()` removes them.
 */
export async function writeTestCertificate() {
  const { certificate, privateKey } = await createTestCertificate(HOST);
  const dir = mkdtempSync(join(tmpdir(), 'graphwire-bench-'));
  const [certFile, keyFile, caFile] = ['cert.pem', 'key.pem', 'ca.pem'].map((f) => join(dir, f));
  writeFileSync(certFile, certificate);
  writeFileSync(keyFile, privateKey, { mode: 0o600 });
  writeFileSync(caFile, existingExtraCas() + certificate);
  return { certFile, keyFile, caFile, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
