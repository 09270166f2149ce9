// The console's frame: sign-in, the navigation that follows the account's role, the language
// toggle and the current page.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, rememberCsrf, request, send, whenUnauthorized } from './api.ts';
import { ErrorNote, Link, Loading } from './components/common.tsx';
import { I18nContext, initialLang, rememberLang, useI18n } from './i18n.ts';
import { messages, type Lang } from './messages.ts';
import { AssessmentPage } from './pages/assessment.tsx';
import { AssessmentQueuePage } from './pages/assessment-queue.tsx';
import { AssessmentsPage } from './pages/assessments.tsx';
import { AuditPage } from './pages/audit.tsx';
import { AccountsPage } from './pages/accounts.tsx';
import { CampaignPage } from './pages/campaign.tsx';
import { CampaignsPage } from './pages/campaigns.tsx';
import { EditCampaignPage } from './pages/campaign-edit.tsx';
import { EntryPage } from './pages/entry.tsx';
import { ImportPage } from './pages/import.tsx';
import { OrganisationPage } from './pages/organisation.tsx';
import { UnitHistoryPage } from './pages/unit-history.tsx';
import { QuarantinePage } from './pages/quarantine.tsx';
import { ReorganisationPage } from './pages/reorganisation.tsx';
import { PasswordPage } from './pages/password.tsx';
import { PeersPage } from './pages/peers.tsx';
import { PlanPage } from './pages/plan.tsx';
import { PlanRollUpPage } from './pages/plan-roll-up.tsx';
import { PlanSheetPage } from './pages/plan-sheet.tsx';
import { PlansPage } from './pages/plans.tsx';
import { OfficialPage } from './pages/official.tsx';
import { OfficialsPage } from './pages/officials.tsx';
import { FrameworksPage } from './pages/frameworks.tsx';
import { ScorecardPage } from './pages/scorecard.tsx';
import { ScoresPage } from './pages/scores.tsx';
import { SetupPage } from './pages/setup.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { navigate, hrefOf, useRoute, type Route } from './router.ts';
import { can } from './roles.ts';
import { meSchema, type Me } from './schemas.ts';

function home(me: Me): Route {
  if (can.selfAssess(me.role)) return { page: 'assessments', framework: '', period: '' };
  return can.organise(me.role) ? { page: 'organisation' } : { page: 'campaigns' };
}

/** Whether the account's role may open the page at all (the API decides the rest). */
function allowed(route: Route, me: Me): boolean {
  switch (route.page) {
    case 'organisation':
    case 'unit-history':
      return can.organise(me.role);
    case 'reorganisation':
      return can.reorganise(me.role);
    case 'edit':
    case 'entry':
    case 'import':
      return can.enter(me.role);
    case 'scores':
    case 'scorecard':
    case 'frameworks':
      return can.score(me.role);
    case 'peers':
      return can.peers(me.role);
    case 'assessment-queue':
      return can.appraise(me.role);
    case 'assessments':
    case 'assessment':
      return me.role !== 'surveyor';
    case 'plans':
    case 'plan':
    case 'plan-roll-up':
    case 'plan-sheet':
      return can.readPlans(me.role);
    case 'quarantine':
    case 'audit':
      return can.review(me.role);
    case 'accounts':
      return can.manageAccounts(me.role);
    case 'password':
      return me.login !== null;
    default:
      return true;
  }
}

function Page(props: { route: Route; me: Me }) {
  const { route, me } = props;
  const { t } = useI18n();
  if (!allowed(route, me)) {
    return <ErrorNote error={new ApiError(403, t.roleCannot(t.roleName[me.role]))} />;
  }
  switch (route.page) {
    case 'home':
    case 'setup':
      return <Loading />;
    case 'accounts':
      return <AccountsPage />;
    case 'password':
      return <PasswordPage />;
    case 'organisation':
      return <OrganisationPage me={me} />;
    case 'unit-history':
      return <UnitHistoryPage code={route.code} />;
    case 'reorganisation':
      return <ReorganisationPage />;
    case 'campaigns':
      return <CampaignsPage me={me} />;
    case 'campaign':
      return <CampaignPage me={me} code={route.code} />;
    case 'edit':
      return <EditCampaignPage code={route.code} />;
    case 'entry':
      return <EntryPage code={route.code} />;
    case 'import':
      return <ImportPage code={route.code} />;
    case 'scores':
      return <ScoresPage code={route.code} />;
    case 'scorecard':
      return <ScorecardPage me={me} />;
    case 'peers':
      return <PeersPage me={me} />;
    case 'frameworks':
      return <FrameworksPage />;
    case 'quarantine':
      return <QuarantinePage code={route.code} />;
    case 'assessments':
      return (
        <AssessmentsPage
          key={`${route.framework}/${route.period}`}
          me={me}
          framework={route.framework}
          period={route.period}
        />
      );
    case 'assessment-queue':
      return <AssessmentQueuePage />;
    case 'assessment':
      return <AssessmentPage framework={route.framework} period={route.period} unit={route.unit} />;
    case 'plans':
      return (
        <PlansPage
          key={`${route.framework}/${route.period}/${route.unit}`}
          me={me}
          framework={route.framework}
          period={route.period}
          unit={route.unit}
        />
      );
    case 'plan':
      return (
        <PlanPage me={me} framework={route.framework} period={route.period} unit={route.unit} />
      );
    case 'plan-roll-up':
      return <PlanRollUpPage framework={route.framework} period={route.period} unit={route.unit} />;
    case 'plan-sheet': {
      const { page: _page, ...sheet } = route;
      return <PlanSheetPage key={hrefOf(route)} {...sheet} />;
    }
    case 'officials':
      return <OfficialsPage me={me} />;
    case 'official':
      return <OfficialPage key={route.code} me={me} code={route.code} />;
    case 'audit':
      return <AuditPage />;
    case 'missing':
      return <ErrorNote error={new ApiError(404, location.pathname)} title={t.pageMissing} />;
  }
}

function NavLink(props: { to: Route; current: Route; label: string }) {
  const active =
    props.current.page === props.to.page ||
    (props.to.page === 'campaigns' &&
      ['campaign', 'edit', 'entry', 'import', 'scores', 'quarantine'].includes(
        props.current.page,
      )) ||
    (props.to.page === 'assessments' && props.current.page === 'assessment') ||
    (props.to.page === 'officials' && props.current.page === 'official') ||
    (props.to.page === 'plans' &&
      ['plan', 'plan-roll-up', 'plan-sheet'].includes(props.current.page));
  return (
    <li>
      <Link to={props.to} current={active}>
        {props.label}
      </Link>
    </li>
  );
}

function Shell(props: {
  me: Me | null;
  onSignIn: (me: Me) => void;
  onSignOut: () => void;
  onLang: (lang: Lang) => void;
  notice: string;
}) {
  const { t, lang } = useI18n();
  const route = useRoute();
  const { me } = props;
  useEffect(() => {
    if (me && (route.page === 'home' || route.page === 'setup')) navigate(hrefOf(home(me)));
  }, [me, route.page]);
  const other: Lang = lang === 'vi' ? 'en' : 'vi';
  return (
    <>
      <a class="skip-link" href="#content">
        {t.skipToContent}
      </a>
      <header class="top">
        <p class="brand">
          <Link to={{ page: 'home' }}>{t.appName}</Link>
        </p>
        {me ? (
          <nav aria-label={t.mainNav}>
            <ul>
              {can.organise(me.role) ? (
                <NavLink to={{ page: 'organisation' }} current={route} label={t.navOrganisation} />
              ) : null}
              {can.reorganise(me.role) ? (
                <NavLink
                  to={{ page: 'reorganisation' }}
                  current={route}
                  label={t.navReorganisation}
                />
              ) : null}
              <NavLink to={{ page: 'campaigns' }} current={route} label={t.navCampaigns} />
              {can.score(me.role) ? (
                <NavLink to={{ page: 'scorecard' }} current={route} label={t.navScorecard} />
              ) : null}
              {can.score(me.role) ? (
                <NavLink to={{ page: 'frameworks' }} current={route} label={t.navFrameworks} />
              ) : null}
              {can.peers(me.role) ? (
                <NavLink to={{ page: 'peers' }} current={route} label={t.navPeers} />
              ) : null}
              {can.selfAssess(me.role) || can.overseeAssessments(me.role) ? (
                <NavLink
                  to={{ page: 'assessments', framework: '', period: '' }}
                  current={route}
                  label={can.selfAssess(me.role) ? t.navOwnAssessment : t.navAssessments}
                />
              ) : null}
              {can.appraise(me.role) ? (
                <NavLink to={{ page: 'assessment-queue' }} current={route} label={t.navQueue} />
              ) : null}
              {can.readPlans(me.role) ? (
                <NavLink
                  to={{ page: 'plans', framework: '', period: '', unit: '' }}
                  current={route}
                  label={t.navPlans}
                />
              ) : null}
              {/* Every role reads the results of the units in its scope; some run surveys. */}
              <NavLink to={{ page: 'officials' }} current={route} label={t.navOfficials} />
              {can.review(me.role) ? (
                <NavLink to={{ page: 'audit' }} current={route} label={t.navAudit} />
              ) : null}
              {can.manageAccounts(me.role) ? (
                <NavLink to={{ page: 'accounts' }} current={route} label={t.navAccounts} />
              ) : null}
            </ul>
          </nav>
        ) : null}
        <div class="top-tools">
          {me ? (
            <p class="who">
              <span>{me.name}</span> · <span>{t.roleName[me.role]}</span>
              {me.unit ? <span> · {me.unit}</span> : null}
            </p>
          ) : null}
          {me?.login ? (
            <Link to={{ page: 'password' }} current={route.page === 'password'}>
              {t.navPassword}
            </Link>
          ) : null}
          <button
            type="button"
            class="link-button"
            lang={other}
            onClick={() => props.onLang(other)}
          >
            {t.otherLanguage}
          </button>
          {me ? (
            <button type="button" class="link-button" onClick={props.onSignOut}>
              {t.signOut}
            </button>
          ) : null}
        </div>
      </header>
      <main id="content" tabIndex={-1}>
        {me ? (
          <Page route={route} me={me} />
        ) : route.page === 'setup' ? (
          <SetupPage onSignIn={props.onSignIn} />
        ) : (
          <SignInPage onSignIn={props.onSignIn} notice={props.notice} />
        )}
      </main>
    </>
  );
}

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(true);
  const [notice, setNotice] = useState('');
  const signedIn = useRef(false);
  const i18n = useMemo(() => ({ lang, t: messages[lang] }), [lang]);

  useEffect(() => {
    rememberLang(lang);
  }, [lang]);

  useEffect(() => {
    whenUnauthorized(() => {
      // A refused token while signing in is the sign-in form's to report.
      if (!signedIn.current) return;
      rememberCsrf(null);
      signedIn.current = false;
      setMe(null);
      setNotice('expired');
    });
    // The session cookie, if any, is the browser's: whether it still holds, /me says.
    request(meSchema, '/me').then(
      (account) => {
        signedIn.current = true;
        rememberCsrf(account.csrfToken);
        setMe(account);
        setChecking(false);
      },
      () => setChecking(false),
    );
  }, []);

  const signOut = () => {
    signedIn.current = false;
    // The cookie is HttpOnly: only the server can end the session and clear it.
    void send('/session', { method: 'DELETE' })
      .catch(() => undefined)
      .finally(() => rememberCsrf(null));
    setMe(null);
    setNotice('signedOut');
  };

  return (
    <I18nContext.Provider value={i18n}>
      {checking ? (
        <main id="content">
          <Loading />
        </main>
      ) : (
        <Shell
          me={me}
          onSignIn={(account) => {
            signedIn.current = true;
            rememberCsrf(account.csrfToken);
            setNotice('');
            setMe(account);
          }}
          onSignOut={signOut}
          onLang={setLang}
          notice={
            notice === 'expired'
              ? i18n.t.sessionExpired
              : notice === 'signedOut'
                ? i18n.t.signedOut
                : ''
          }
        />
      )}
    </I18nContext.Provider>
  );
}
