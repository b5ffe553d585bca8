import { createHash, createPublicKey, generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

/** A throwaway RSA key and a self-signed X.509 certificate for it, in the shapes MSAL and JWKs use. */
export interface TestCertificate {
  /** PKCS#8 PEM, what MSAL's `clientCertificate.privateKey` takes. */
  privateKey: string;
  /** The certificate as PEM (MSAL's `clientCertificate.x5c`). */
  certificate: string;
  /** SHA-1 of the DER certificate, upper-case hex, as the Azure portal shows it. */
  thumbprint: string;
  /** SHA-256 of the DER certificate, upper-case hex. */
  thumbprintSha256: string;
  /** base64 DER, as in a JWK's `x5c`. */
  der: string;
  /** The RSA public key, e.g. to export as a JWK (`publicKey.export({ format: 'jwk' })`) or to verify signatures. */
  publicKey: KeyObject;
}

/**
 * Builds the certificate with node:crypto alone (no openssl): a minimal DER encoder for a v3
 * TBSCertificate (CN subject = issuer, sha256WithRSAEncryption), signed with the new key.
 */
export async function createTestCertificate(commonName = 'graphwire test client'): Promise<TestCertificate> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
  const serial = randomBytes(12);
  serial[0] = (serial[0] ?? 0) & 0x7f | 0x01; // positive and minimal
  const now = Date.now();
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // [0] EXPLICIT version v3
    tlv(0x02, serial),
    sha256WithRsa,
    name,
    seq(utcTime(new Date(now - 60_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, sha256WithRsa, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = der.toString('base64');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificate: `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`,
    thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    thumbprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
    der: b64,
    publicKey: createPublicKey(privateKey),
  };
}

function tlv(tag: number, value: Buffer): Buffer {
  const n = value.length;
  const length = n < 0x80 ? Buffer.from([n])
    : n < 0x100 ? Buffer.from([0x81, n])
    : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, value]);
}

const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14);
  return tlv(0x17, Buffer.from(`${text}Z`, 'ascii'));
}
