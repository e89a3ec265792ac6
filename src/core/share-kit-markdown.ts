import { codeText, plainText } from './markdown-text.ts';
import { NETWORK_NAMES, type PersonKit, type ShareLink, type SharedItem, unitOf } from './share-kit.ts';

/**
 * Share kits as people read them: Markdown for the job summary and the pull request's comment, lines
 * for the log. Words from files and names from the config are shown as text: the words in a code block
 * (GitHub's copy button; no mention, reference or HTML inside), names through markdown-text.ts. The only
 * mentions are the staff's GitHub logins from the config, which is what the comment is for: the people
 * it names are notified.
 */
export function shareKitMarker(itemId: string): string {
  return `<!-- postgate:share-kit ${encodeURIComponent(itemId)} -->`;
}

/** GitHub refuses comments over 65,536 characters; the rest is in the job summary. */
const MAX_COMMENT = 65_000;

export function shareKitMarkdown(item: SharedItem, kits: readonly PersonKit[]): string {
  const intro = `Links that open each person's own account with the approved words of ${codeText(item.id)} in it; links to the site carry \`utm_content=<id>\`, so the site's analytics show what each person brought in. Postgate holds no one's credentials: you post, as yourself.`;
  return [`### Share kit: ${codeText(item.id)}`, '', intro, '', ...kits.map((kit) => personMarkdown(item, kit))].join(
    '\n',
  );
}

/** The comment on the pull request that brought the item: the marker, then the kit, cut between people when too long. */
export function shareKitComment(item: SharedItem, kits: readonly PersonKit[], summaryUrl: string | null): string {
  const head = `${shareKitMarker(item.id)}\n${shareKitMarkdown(item, [])}`;
  let body = head;
  for (const [i, kit] of kits.entries()) {
    const next = `${body}\n${personMarkdown(item, kit)}`;
    if (next.length > MAX_COMMENT - 300) {
      const where = summaryUrl ? `the [job summary](${summaryUrl})` : "the publish run's job summary";
      return `${body}\n> [!NOTE]\n> ${kits.length - i} more people's kits did not fit in a comment: they are in ${where}.\n`;
    }
    body = next;
  }
  return `${body.trimEnd()}\n`;
}

function personMarkdown(item: SharedItem, kit: PersonKit): string {
  const { person } = kit;
  const who = person.github ? `${plainText(person.name, 80)} (@${person.github})` : plainText(person.name, 80);
  const words = kit.ownWords
    ? `${plainText(person.name, 80)}'s own words, from \`share.${person.id}\`.`
    : 'The approved text of the item.';
  const lines = [`#### ${who}`, '', words, ''];
  const copy: ShareLink[] = [];
  for (const link of kit.links) {
    const name = NETWORK_NAMES[link.network];
    const label = `Post as ${plainText(person.name, 80)} on ${name}`;
    const open = link.composeUrl ? `[${label}](${link.composeUrl})` : `${label}: open ${name} and start a post`;
    const paste = link.network === 'linkedin' ? ', then paste the text below' : '';
    const length = `${link.verdict.length}/${link.verdict.max} ${unitOf(link.network)}`;
    const problem = link.problem ? ` · **${plainText(fixOf(item, kit, link.problem), 400)}**` : '';
    lines.push(`- ${open}${paste} · ${length}${problem}`);
    if (link.network === 'linkedin') copy.push(link);
  }
  for (const link of copy)
    lines.push(
      '',
      `<details><summary>Text for ${NETWORK_NAMES[link.network]}</summary>`,
      '',
      fenced(link.text),
      '',
      '</details>',
    );
  return `${lines.join('\n')}\n`;
}

/** What is wrong, and where to put it right: the person's own words, or words of their own to write. */
function fixOf(item: SharedItem, kit: PersonKit, problem: string): string {
  const where = `share.${kit.person.id} in ${item.file}`;
  return kit.ownWords ? `${problem}; shorten ${where}` : `${problem}; write shorter words for them in ${where}`;
}

/** A code block the text cannot end: its fence is longer than any run of backticks in it. */
function fenced(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/** The kits in the log: a line per person and network, the composer's link, LinkedIn's text to paste. */
export function shareKitLines(item: SharedItem, kits: readonly PersonKit[]): string[] {
  const lines = [`Share kit: ${item.id}`];
  for (const kit of kits) {
    const words = kit.ownWords ? `own words (share.${kit.person.id})` : 'the approved text';
    lines.push(`  ${kit.person.name} (${kit.person.id}): ${words}`);
    for (const link of kit.links) {
      const length = `${link.verdict.length}/${link.verdict.max} ${unitOf(link.network)}`;
      const problem = link.problem ? `  ${fixOf(item, kit, link.problem)}` : '';
      lines.push(`    ${link.network.padEnd(8)}  ${length}${problem}`);
      lines.push(`      ${link.composeUrl ?? `open ${NETWORK_NAMES[link.network]} and start a post`}`);
      if (link.network === 'linkedin') for (const line of link.text.split('\n')) lines.push(`      | ${line}`);
    }
  }
  return lines;
}
