import { Observable } from 'rxjs';

/**
 * `true` while the page is visible, `false` while hidden; emits the current state first. Outside
 * browsers (no `document`) it emits `true` once and never changes.
 */
export function documentVisibility(): Observable<boolean> {
  return new Observable<boolean>((subscriber) => {
    if (typeof document === 'undefined' || typeof document.addEventListener !== 'function') {
      subscriber.next(true);
      return undefined;
    }
    const emit = (): void => subscriber.next(document.visibilityState !== 'hidden');
    emit();
    document.addEventListener('visibilitychange', emit);
    return () => document.removeEventListener('visibilitychange', emit);
  });
}
