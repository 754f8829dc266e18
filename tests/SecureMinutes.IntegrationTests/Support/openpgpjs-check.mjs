// node openpgpjs-check.mjs MAIL.eml MEMBER.sec.asc LIST.pub.asc EXPECT_TEXT EXPECT_SUBJECT
// OpenPGP.js (the engine of Mailvelope, Proton and FlowCrypt) opens one of our mails as those clients would:
// decrypts it with the member's key alone, checks that every PKESK is for that member's key (no one else's
// key id in the mail), verifies the RFC 3156 §6.1 multipart/signed over its CRLF-canonical first part with
// the list key only, finds EXPECT_TEXT in a decoded text part and EXPECT_SUBJECT as the protected Subject.
// Grown from ../shared/tools/pgp/openpgpjs/check.mjs, which decrypts and verifies but checks no text, no
// subject (it does not decode RFC 2047) and no recipients. Prints one line; exit 0 = PASS, 1 = FAIL.
import * as openpgp from 'openpgp';
import fs from 'fs';

const [, , mailPath, secretPath, listPath, expectText, expectSubject] = process.argv;
const failures = [];
const raw = fs.readFileSync(mailPath, 'latin1');
const begin = raw.indexOf('-----BEGIN PGP MESSAGE-----');
const end = raw.indexOf('-----END PGP MESSAGE-----');
if (begin < 0 || end < 0 || raw.indexOf('-----BEGIN PGP MESSAGE-----', begin + 1) >= 0) {
  console.log('VERDICT FAIL | the mail must hold exactly one armored PGP MESSAGE');
  process.exit(1);
}

const privateKey = await openpgp.readPrivateKey({ armoredKey: fs.readFileSync(secretPath, 'utf8') });
const listKeys = await openpgp.readKeys({ armoredKeys: fs.readFileSync(listPath, 'utf8') });
const message = await openpgp.readMessage({ armoredMessage: raw.slice(begin, end + 25) });
const memberKeyIds = new Set(privateKey.getKeys().map(k => k.getKeyID().toHex()));
const pkesks = message.getEncryptionKeyIDs().map(k => k.toHex());
const strangers = pkesks.filter(id => !memberKeyIds.has(id));
if (strangers.length > 0) failures.push(`encrypted to other keys too: ${strangers.join(',')}`);

let inner;
try {
  const { data } = await openpgp.decrypt({ message, decryptionKeys: privateKey, format: 'binary', expectSigned: false });
  inner = Buffer.from(data).toString('latin1');
} catch (e) {
  console.log(`VERDICT FAIL | decrypt: ${e.message}`);
  process.exit(1);
}

const signed = parse(inner);
let signature = 'none';
let content = signed;
if (/^multipart\/signed/i.test(signed.type) && signed.parts.length === 2) {
  content = signed.parts[0];
  const signedBytes = content.raw.replace(/\r?\n/g, '\r\n');
  const sig = await openpgp.readSignature({ armoredSignature: decode(signed.parts[1]).toString('latin1') });
  const verification = await openpgp.verify({
    message: await openpgp.createMessage({ binary: Buffer.from(signedBytes, 'latin1') }), signature: sig, verificationKeys: listKeys,
  });
  try {
    await verification.signatures[0].verified;
    signature = 'good:' + verification.signatures[0].keyID.toHex();
  } catch (e) {
    failures.push(`signature: ${e.message}`);
  }
} else {
  failures.push(`not a multipart/signed inside the encryption (${signed.type})`);
}

const subject = decodeWords(header(content.headers, 'subject') ?? '');
if (expectSubject && subject !== expectSubject) failures.push(`protected Subject is "${subject}", expected "${expectSubject}"`);
const texts = leaves(content).filter(p => /^text\//i.test(p.type) && !/attachment/i.test(header(p.headers, 'content-disposition') ?? ''))
  .map(p => decode(p).toString(/charset="?utf-8/i.test(p.contentType) ? 'utf8' : 'latin1'));
if (expectText && !texts.some(t => t.replace(/\r\n/g, '\n').includes(expectText))) failures.push(`text "${expectText}" is in no text part`);

const summary = `pkesk=${pkesks.length} decrypt=PASS signature=${signature} subject=${JSON.stringify(subject)}`;
console.log(failures.length === 0 ? `VERDICT PASS | ${summary}` : `VERDICT FAIL | ${summary} | ${failures.join(' | ')}`);
process.exit(failures.length === 0 ? 0 : 1);

// A MIME entity: its header block, Content-Type, raw bytes (for signatures) and, for multiparts, children cut per RFC 2046.
function parse(text, defaultType = 'text/plain') {
  const split = text.search(/\r?\n\r?\n/);
  const headerText = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = headerText.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  const contentType = header(headers, 'content-type') ?? defaultType;
  const entity = { raw: text, headers, contentType, type: contentType.split(';')[0].trim().toLowerCase(), body, parts: [] };
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (entity.type.startsWith('multipart/') && boundary) {
    const chunks = body.split(new RegExp(`(?:^|\\r?\\n)--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*(?:\\r?\\n|$)`));
    // RFC 2046 §5.1.5: in a multipart/digest a part without Content-Type is a message/rfc822.
    entity.parts = chunks.slice(1, -1).map(c => parse(c, entity.type === 'multipart/digest' ? 'message/rfc822' : 'text/plain'));
  } else if (entity.type === 'message/rfc822') {
    entity.parts = [parse(body)];
  }
  return entity;
}

function header(headers, name) {
  const line = headers.find(h => h.toLowerCase().startsWith(name + ':'));
  return line?.slice(name.length + 1).trim();
}

function leaves(entity) {
  return entity.parts.length > 0 ? entity.parts.flatMap(leaves) : [entity];
}

function decode(entity) {
  const encoding = (header(entity.headers, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(entity.body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') {
    return Buffer.from(entity.body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  }
  return Buffer.from(entity.body, 'latin1');
}

// RFC 2047 encoded words (B and Q), as mail clients show a Subject.
function decodeWords(value) {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, kind, text) => {
    const bytes = kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return bytes.toString(/utf-?8/i.test(charset) ? 'utf8' : 'latin1');
  });
}
