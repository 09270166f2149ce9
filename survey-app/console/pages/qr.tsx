// QR codes need the bearer token, which a plain link or <img> cannot carry: the console fetches
// them and shows what it received from a blob: URL (allowed by the console's CSP).
import { useEffect, useState } from 'preact/hooks';
import { openPage, send } from '../api.ts';
import { useI18n } from '../i18n.ts';

/** Issues fresh tokens for the unit's counters and opens the printable A4 sheet in a new tab. */
export async function openQrSheet(unit: string): Promise<void> {
  await openPage(`/units/${encodeURIComponent(unit)}/qr-sheet`, { method: 'POST' });
}

export function QrImage(props: { counter: string; token: string }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    const controller = new AbortController();
    send(`/counters/${encodeURIComponent(props.counter)}/qr.svg`, {
      query: { token: props.token },
      signal: controller.signal,
    })
      .then((response) => response.blob())
      .then(
        (blob) => {
          objectUrl = URL.createObjectURL(blob);
          setUrl(objectUrl);
        },
        () => setUrl(null),
      );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [props.counter, props.token]);
  return url ? (
    <img class="qr" src={url} width={192} height={192} alt={t.qrAlt(props.counter)} />
  ) : null;
}
