// Inline code with a copy button. Used by the generated pages as
// <CopyableCode code="aws.apigatewayv2.route_responses" />.
import React, { useCallback, useEffect, useRef, useState } from 'react';
import clsx from 'clsx';
import styles from './CopyableCode.module.css';

// navigator.clipboard needs a secure context (https or localhost); fall back to a
// hidden textarea and execCommand elsewhere.
async function copyText(text) {
  if (typeof navigator !== 'undefined' && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the legacy path
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

// Lets a long identifier (route_response_key, aws.apigatewayv2.routes) wrap after `_`, `.`
// or `/` when its table column is narrow, instead of widening the table. <wbr> adds no text,
// so what is selected or copied is unchanged.
function breakable(text) {
  const parts = [];
  let start = 0;
  for (let i = 0; i < text.length - 1; i += 1) {
    if ('_./'.includes(text[i]) && text[i + 1] !== text[i]) {
      parts.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.flatMap((part, i) => (i === 0 ? [part] : [<wbr key={i} />, part]));
}

function CopyIcon() {
  return (
    <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M16 1H4a2 2 0 0 0-2 2v14h2V3h12V1Zm3 4H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2Zm0 16H8V7h11v14Z"
      />
    </svg>
  );
}

export default function CopyableCode({ code = '' }) {
  const text = String(code);
  // 'idle' | 'copied' | 'failed'
  const [state, setState] = useState('idle');
  const timer = useRef(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  const onClick = useCallback(async () => {
    const ok = await copyText(text);
    setState(ok ? 'copied' : 'failed');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2000);
  }, [text]);

  const label =
    state === 'copied' ? `Copied ${text}` : state === 'failed' ? `Could not copy ${text}` : `Copy ${text}`;

  return (
    <span className={styles.copyable} data-copyable-code="">
      <code className={styles.code}>{breakable(text)}</code>
      <button
        type="button"
        className={clsx(styles.button, state === 'copied' && styles.copied)}
        onClick={onClick}
        aria-label={label}
        title={label}
      >
        {state === 'idle' ? <CopyIcon /> : <span className={styles.feedback}>{state === 'copied' ? 'Copied' : 'Failed'}</span>}
      </button>
      <span className={styles.srOnly} role="status" aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : ''}
      </span>
    </span>
  );
}
