// What the citizen's page and an official's page both draw: the frame of the page (where it is
// from, the button to the other language) and each screen's heading, which takes the focus when
// the screen changes.
import type { ComponentChildren } from 'preact';
import type { Lang } from './payload.ts';
import { saveLang } from './store.ts';

export function Screen({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <>
      <h1 tabIndex={-1}>{title}</h1>
      {children}
    </>
  );
}

/**
 * The header, naming where the page is from (a counter and its unit; a unit and a group) once it
 * is known, with the button to the other language, remembered on the phone; the body below.
 */
export function Frame({
  place,
  lang,
  otherLanguage,
  onLanguage,
  children,
}: {
  place: readonly [string, string] | undefined;
  lang: Lang;
  /** The other language's name, in that language. */
  otherLanguage: string;
  onLanguage: (lang: Lang) => void;
  children: ComponentChildren;
}) {
  const other: Lang = lang === 'vi' ? 'en' : 'vi';
  return (
    <>
      <header>
        {place && (
          <p class="place">
            <span class="counter">{place[0]}</span>
            <span class="unit">{place[1]}</span>
          </p>
        )}
        <button
          type="button"
          class="lang"
          lang={other}
          onClick={() => {
            saveLang(other);
            onLanguage(other);
          }}
        >
          {otherLanguage}
        </button>
      </header>
      <main>{children}</main>
    </>
  );
}
