// What the citizen's page and an official's page both draw: the frame of the page (where it is
// from, the button to the other language), each screen's heading, which takes the focus when
// the screen changes, and the screen while the answers are sent.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from './payload.ts';
import { keepSending, type Outcome, type Retry } from './send.ts';
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

/**
 * The screen while the answers are sent, and sent again until the server's final reply: what
 * holds them up (no connection, the server), and a button to try again at once. One sending
 * loop per answer (`id`): the answers do not change while it runs.
 */
export function Sending({
  id,
  send,
  settled,
  texts,
}: {
  id: string;
  send: () => Promise<Outcome>;
  settled: (outcome: Exclude<Outcome, Retry>) => void;
  texts: {
    send: string;
    sending: string;
    savedOffline: string;
    savedServer: string;
    retryNow: string;
  };
}) {
  const [waiting, setWaiting] = useState<'offline' | 'server' | undefined>();
  const retry = useRef<() => void>(() => {});
  useEffect(() => {
    const sending = keepSending(send, (r) => setWaiting(r.offline ? 'offline' : 'server'), settled);
    retry.current = sending.now;
    return sending.stop;
  }, [id]);
  return (
    <Screen title={texts.send}>
      <div role="status" class="status">
        <p>
          {waiting === 'offline' ? texts.savedOffline : waiting ? texts.savedServer : texts.sending}
        </p>
      </div>
      {waiting && (
        <button type="button" onClick={() => retry.current()}>
          {texts.retryNow}
        </button>
      )}
    </Screen>
  );
}
