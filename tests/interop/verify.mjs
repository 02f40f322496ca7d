// An independent verifier for musette's credentials and presentations: Digital Bazaar's
// @digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite, the verifier the DCC Learner
// Credential Wallet and VerifierPlus build on. Offline: the document loader serves only the
// contexts bundled in the npm packages and the published Open Badges contexts from
// ../shared/vectors/contexts; did:key documents are derived from the key itself. JSON-LD safe
// mode is on (an undefined term is an error).
//
// Usage: node verify.mjs [--challenge C] FILE...
// Prints one JSON line per file: {"file", "verified", "proofs": [bool...], "error"}.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import jsigs from 'jsonld-signatures';

const here = dirname(fileURLToPath(import.meta.url));
const published = join(here, '..', '..', '..', 'shared', 'vectors', 'contexts');
const contexts = new Map([
  ...credentialsContext.contexts,
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
]);
const index = JSON.parse(readFileSync(join(published, 'INDEX.json'), 'utf8'));
for (const [url, file] of Object.entries(index)) {
  if (url.startsWith('https://purl.imsglobal.org/')) {
    contexts.set(url, JSON.parse(readFileSync(join(published, file), 'utf8')));
  }
}

const didKey = didKeyDriver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

async function documentLoader(url) {
  if (contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if (url.startsWith('did:key:')) {
    const document = await didKey.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  throw new Error(`the offline loader refuses ${url}`);
}

const args = process.argv.slice(2);
let challenge;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--challenge') {
    challenge = args[++i];
  } else {
    files.push(args[i]);
  }
}

for (const file of files) {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  let out;
  try {
    const presentation = [doc.type].flat().includes('VerifiablePresentation');
    const result = presentation ?
      await vc.verify({presentation: doc, challenge, suite, documentLoader}) :
      await vc.verifyCredential({credential: doc, suite, documentLoader});
    // verifyCredential binds an assertion to the issuer and is content when one proof holds;
    // every proof's own signature is checked as an assertion by its signer's key too, so a
    // co-signer's proof in a proof set is verified as well.
    const each = async credential => {
      const r = await jsigs.verify(credential, {
        suite, purpose: new jsigs.purposes.AssertionProofPurpose(), documentLoader,
      });
      return r.results ?? [];
    };
    const credentials = presentation ? [doc.verifiableCredential].flat() : [doc];
    const proofs = [
      ...(presentation ? result.presentationResult?.results ?? [] : []),
      ...(await Promise.all(credentials.map(each))).flat(),
    ];
    const errors = [result.error, ...proofs.map(p => p.error)].filter(Boolean)
      .flatMap(e => e.errors ?? [e]).map(e => String(e.message ?? e));
    out = {file, verified: result.verified, proofs: proofs.map(p => p.verified), error: errors.join('; ')};
  } catch(e) {
    out = {file, verified: false, proofs: [], error: String(e.message ?? e)};
  }
  console.log(JSON.stringify(out));
}
