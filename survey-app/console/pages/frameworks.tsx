// A PAR framework version as a tree (par-cycle.md §1): fields, criteria and sub-criteria with
// their maxima, sources, the unit types they apply to and their guidance, and the bands.
import { useState } from 'preact/hooks';
import { request } from '../api.ts';
import { Loaded, num, PageTitle, Table, useResource } from '../components/common.tsx';
import { TextField } from '../components/fields.tsx';
import { formatFor } from '../format.ts';
import { useI18n } from '../i18n.ts';
import { frameworkTreeSchema, type FrameworkTree } from '../schemas.ts';

function FrameworkTable(props: { tree: FrameworkTree }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const { tree } = props;
  const total = tree.nodes
    .filter((node) => !node.code.includes('.'))
    .reduce((sum, node) => sum + node.max, 0);
  return (
    <>
      <p>
        {t.frameworkSummary(tree.name, f.fixed(total))}{' '}
        {t.bandsSummary(tree.bands.map((b) => `${b.band} ≥ ${f.fixed(b.min)}%`).join(', '))}
      </p>
      <Table
        label={t.frameworkNodes}
        data-table="framework"
        columns={[t.node, t.nodeName, num(t.maxPoints), t.nodeSource, t.appliesTo, t.guidance]}
      >
        <tbody>
          {tree.nodes.map((node) => {
            const depth = node.code.split('.').length;
            return (
              <tr key={node.code} data-node={node.code} class={depth === 1 ? 'field' : undefined}>
                <th scope="row" style={{ paddingInlineStart: `${depth - 0.5}em` }}>
                  <span class="code">{node.code}</span>
                </th>
                <td>{depth === 1 ? <strong>{node.name}</strong> : node.name}</td>
                <td class="num">{f.fixed(node.max)}</td>
                <td>{node.source === null ? '' : t.sourceName(node.source)}</td>
                <td>{node.appliesTo?.join(', ') ?? ''}</td>
                <td>{node.guidance ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </>
  );
}

export function FrameworksPage() {
  const { t } = useI18n();
  const [draft, setDraft] = useState('par-2020-province');
  const [code, setCode] = useState<string | null>(null);
  const tree = useResource(
    (signal) =>
      code === null
        ? Promise.resolve(null)
        : request(frameworkTreeSchema, `/frameworks/${encodeURIComponent(code)}`, { signal }),
    [code],
  );
  return (
    <>
      <PageTitle>{t.frameworksTitle}</PageTitle>
      <form
        class="controls card"
        onSubmit={(event) => {
          event.preventDefault();
          setCode(draft);
        }}
      >
        <TextField id="fw-code" label={t.framework} required value={draft} onValue={setDraft} />
        <button type="submit">{t.showFramework}</button>
      </form>
      {code ? (
        <section aria-labelledby="framework-h">
          <h2 id="framework-h">{code}</h2>
          <Loaded resource={tree}>
            {(data) => (data ? <FrameworkTable tree={data} /> : null)}
          </Loaded>
        </section>
      ) : null}
    </>
  );
}
