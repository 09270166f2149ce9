// The way into the remediation plans: a framework, a period and a unit, then the unit's plan,
// the roll-up of its children's plans or its results sheet. A unit's account starts from its own.
import { useRef, useState } from 'preact/hooks';
import { request } from '../api.ts';
import { PageTitle, useResource } from '../components/common.tsx';
import { CodeOptions, SelectField, TextField } from '../components/fields.tsx';
import { useI18n } from '../i18n.ts';
import { hrefOf, navigate, type Route } from '../router.ts';
import { list, unitSchema, type Me } from '../schemas.ts';
import { periodLastDay } from '../../../shared/periods.ts';

type Choice = 'plan' | 'plan-roll-up' | 'plan-sheet';

export function PlansPage(props: { me: Me; framework: string; period: string; unit: string }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState({
    framework: props.framework || 'par-2020-province',
    period: props.period || String(new Date().getFullYear() - 1),
    unit: props.unit || (props.me.unit ?? ''),
  });
  // Which of the form's buttons sent it.
  const choice = useRef<Choice>('plan');
  const day = periodLastDay(draft.period) ?? undefined;
  const units = useResource(
    (signal) => request(list(unitSchema), '/units', { query: { on: day }, signal }).catch(() => []),
    [day],
  );
  const set = (key: keyof typeof draft) => (value: string) => setDraft({ ...draft, [key]: value });
  const buttons: [Choice, string][] = [
    ['plan', t.plansOpen],
    ['plan-roll-up', t.plansOpenRollUp],
    ['plan-sheet', t.plansOpenSheet],
  ];
  return (
    <>
      <PageTitle>{t.plansTitle}</PageTitle>
      <p>{t.plansIntro}</p>
      <form
        class="controls card"
        onSubmit={(event) => {
          event.preventDefault();
          const route: Route =
            choice.current === 'plan-sheet'
              ? { page: 'plan-sheet', ...draft, peers: '', campaign: '', top: '' }
              : { page: choice.current, ...draft };
          navigate(hrefOf(route));
        }}
      >
        <TextField
          id="plans-framework"
          label={t.framework}
          required
          value={draft.framework}
          onValue={set('framework')}
        />
        <TextField
          id="plans-period"
          label={t.periodLabel}
          required
          class="narrow"
          value={draft.period}
          onValue={set('period')}
        />
        <SelectField
          id="plans-unit"
          label={t.unit}
          required
          value={draft.unit}
          onValue={set('unit')}
        >
          <option value="">{t.chooseUnit}</option>
          <CodeOptions items={units.data ?? []} />
        </SelectField>
        {buttons.map(([page, label], i) => (
          <button
            key={page}
            type="submit"
            class={i === 0 ? undefined : 'secondary'}
            onClick={() => (choice.current = page)}
          >
            {label}
          </button>
        ))}
      </form>
    </>
  );
}
