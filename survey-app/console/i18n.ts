// The language of the console: Vietnamese by default, English by the toggle, remembered for the
// session. Components read the messages of the current language from the context.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { messages, type Lang, type Messages } from './messages.ts';

const LANG_KEY = 'sipas.console.lang';

/** The console's language now: the toggle's setting, Vietnamese by default. */
export function initialLang(): Lang {
  return sessionStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
}

export function rememberLang(lang: Lang): void {
  sessionStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
}

export interface I18n {
  lang: Lang;
  t: Messages;
}

export const I18nContext = createContext<I18n>({ lang: 'vi', t: messages.vi });

export const useI18n = (): I18n => useContext(I18nContext);
