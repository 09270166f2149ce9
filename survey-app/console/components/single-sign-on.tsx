// The way to the province's identity provider, on the sign-in page: shown only when the server
// has single sign-on configured (GET /api/v1/session/methods). A plain link, not a fetch: the
// browser itself goes to the provider and comes back to /console with its session cookie.
import { useEffect, useState } from 'preact/hooks';
import { request } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { signInMethodsSchema } from '../schemas.ts';

export function SingleSignOnLink() {
  const { t } = useI18n();
  const [offered, setOffered] = useState(false);
  useEffect(() => {
    // Not offered when the server cannot say: the password form stays.
    request(signInMethodsSchema, '/session/methods').then(
      (methods) => setOffered(methods.singleSignOn),
      () => setOffered(false),
    );
  }, []);
  if (!offered) return null;
  return (
    <p class="single-sign-on">
      <a class="button secondary" href="/api/v1/session/oidc">
        {t.singleSignOn}
      </a>
    </p>
  );
}
