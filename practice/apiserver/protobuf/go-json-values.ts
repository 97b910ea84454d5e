// Formats of Go's JSON encoder for the special Kubernetes value types.

// metav1.Time: RFC 3339 in UTC, whole seconds.
export function formatTime(seconds: bigint): string {
  return `${isoDate(seconds)}Z`;
}

// metav1.MicroTime: RFC 3339 in UTC with six fractional digits.
export function formatMicroTime(seconds: bigint, nanos: number): string {
  return `${isoDate(seconds)}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

function isoDate(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
}

const SECOND = 1_000_000_000n;

// time.Duration.String(), as metav1.Duration writes it: "1h0m0s", "1m30s", "1.5s", "300ms".
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const sign = nanoseconds < 0n ? '-' : '';
  const total = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  if (total < SECOND) {
    if (total < 1000n) return `${sign}${total}ns`;
    if (total < 1_000_000n) return `${sign}${withFraction(total, 1000n)}µs`;
    return `${sign}${withFraction(total, 1_000_000n)}ms`;
  }
  const minutes = total / (60n * SECOND);
  const seconds = `${withFraction(total % (60n * SECOND), SECOND)}s`;
  if (minutes === 0n) return `${sign}${seconds}`;
  const hours = minutes / 60n;
  if (hours === 0n) return `${sign}${minutes}m${seconds}`;
  return `${sign}${hours}h${minutes % 60n}m${seconds}`;
}

function withFraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const fraction = value % unit;
  if (fraction === 0n) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(fraction).padStart(digits, '0').replace(/0+$/, '')}`;
}
