// A unit's results on one printed page (A4), what a director takes to a meeting: the total, the
// rank among the peers and the band, the fields as bars, the SIPAS factors with their intervals,
// the weakest fields and the targets. Drafted afresh from the figures (GET /plan-drafts, nothing
// stored); the peers, the campaign and the target are the draft's options, kept in the URL.
import { useState } from 'preact/hooks';
import { request } from '../api.ts';
import { Link, Loaded, PageTitle, useResource } from '../components/common.tsx';
import { TextField } from '../components/fields.tsx';
import { formatDay, vietnamToday } from '../format.ts';
import { useI18n } from '../i18n.ts';
import { hrefOf, navigate, type SheetOptions } from '../router.ts';
import { planDraftSchema, type PlanFacts } from '../schemas.ts';
import { FieldsChart, SipasChart, Targets, TotalFacts, WeakList } from './plan-facts.tsx';

/** How many of the weakest fields a sheet names: what fits on the page and in a meeting. */
const WEAKEST = 3;

function Sheet(props: { facts: PlanFacts }) {
  const { t, lang } = useI18n();
  const { facts } = props;
  const fields = new Set(facts.fields.map((field) => field.code));
  return (
    <article class="sheet" aria-labelledby="sheet-h">
      <header class="sheet-head">
        <h2 id="sheet-h">{t.sheetHeading(facts.unit.name)}</h2>
        <p>{t.sheetOf(facts.framework.name, facts.period, facts.peers.name)}</p>
      </header>
      <TotalFacts facts={facts} />
      <section aria-labelledby="sheet-fields-h">
        <h3 id="sheet-fields-h">{t.planFields}</h3>
        <FieldsChart facts={facts} />
      </section>
      {facts.sipas ? (
        <section aria-labelledby="sheet-sipas-h">
          <h3 id="sheet-sipas-h">{t.planSipas}</h3>
          <SipasChart sipas={facts.sipas} />
        </section>
      ) : null}
      <div class="sheet-split">
        <section aria-labelledby="sheet-weak-h">
          <h3 id="sheet-weak-h">{t.sheetWeakest}</h3>
          <WeakList
            facts={facts}
            codes={facts.weakByPointsLost.filter((code) => fields.has(code))}
            limit={WEAKEST}
          />
        </section>
        <section aria-labelledby="sheet-targets-h">
          <h3 id="sheet-targets-h">{t.planTargets}</h3>
          <Targets facts={facts} />
        </section>
      </div>
      <p class="muted sheet-foot">{t.sheetPrinted(formatDay(lang, vietnamToday()))}</p>
    </article>
  );
}

export function PlanSheetPage(
  props: { framework: string; period: string; unit: string } & SheetOptions,
) {
  const { t } = useI18n();
  const { framework, period, unit, peers, campaign, top } = props;
  const [draft, setDraft] = useState({ peers, campaign, top });
  const plan = useResource(
    (signal) =>
      request(planDraftSchema, '/plan-drafts', {
        query: {
          framework,
          period,
          unit,
          peers: peers || undefined,
          campaign: campaign || undefined,
          top: top || undefined,
        },
        signal,
      }),
    [framework, period, unit, peers, campaign, top],
  );
  const set = (key: keyof SheetOptions) => (value: string) => setDraft({ ...draft, [key]: value });
  return (
    <>
      <PageTitle sub={t.planOf(framework, period)}>{t.sheetTitle(unit)}</PageTitle>
      <form
        class="controls card"
        aria-label={t.sheetOptions}
        onSubmit={(event) => {
          event.preventDefault();
          navigate(hrefOf({ page: 'plan-sheet', framework, period, unit, ...draft }));
        }}
      >
        <TextField
          id="sheet-peers"
          label={t.planPeers}
          help={t.planPeersHelp}
          value={draft.peers}
          onValue={set('peers')}
        />
        <TextField
          id="sheet-campaign"
          label={t.planCampaign}
          help={t.planCampaignHelp}
          value={draft.campaign}
          onValue={set('campaign')}
        />
        <TextField
          id="sheet-top"
          label={t.planTopField}
          type="number"
          min={1}
          step={1}
          class="narrow"
          value={draft.top}
          onValue={set('top')}
        />
        <button type="submit" class="secondary">
          {t.sheetRedraft}
        </button>
        <button type="button" onClick={() => print()}>
          {t.sheetPrint}
        </button>
        <Link to={{ page: 'plan', framework, period, unit }}>{t.sheetToPlan}</Link>
      </form>
      <Loaded resource={plan}>{(data) => <Sheet facts={data.facts} />}</Loaded>
    </>
  );
}
