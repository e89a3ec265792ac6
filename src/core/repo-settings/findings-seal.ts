import { unread, type Push } from './finding.ts';
import { PUBLISH_ENVIRONMENT, type RepoSettings } from './settings.ts';

const PUBLIC_KEY = 'POSTGATE_LEDGER_PUBLIC_KEY';
const KEY = 'POSTGATE_LEDGER_KEY';

/**
 * doctor on sealed ledger records (src/core/ledger-seal.ts): without them a workflow someone adds on
 * a branch can write records that pass for the publisher's; with the public key but no private key
 * in the publish environment, publish and retract refuse to send (their records could not be sealed).
 */
export function sealFindings(settings: RepoSettings, push: Push): void {
  const { variables } = settings;
  if (!variables.ok) {
    push('warning', unread('the repository variables', variables));
    return;
  }
  if (!variables.value.includes(PUBLIC_KEY)) {
    push(
      'warning',
      `ledger records are not sealed: a workflow someone adds on a branch could write records on postgate/ledger that pass for the publisher's; postgate ledger --new-key sets seals up (${PUBLIC_KEY} and ${KEY})`,
    );
    return;
  }
  const publish = settings.publish.ok ? settings.publish.value : null;
  if (publish?.secrets.ok && !publish.secrets.value.includes(KEY))
    push(
      'important',
      `${PUBLIC_KEY} is set but the ${PUBLISH_ENVIRONMENT} environment has no ${KEY} secret: publish and retract send nothing, since their records could not be sealed`,
    );
  else push('ok', `ledger records are sealed (${PUBLIC_KEY}, and ${KEY} in the ${PUBLISH_ENVIRONMENT} environment)`);
}
