/** The status line under the page's title: what the page is doing, or what went wrong. */
import { byId } from './canvas';

export function setStatus(text: string): void {
  byId<HTMLParagraphElement>('status').textContent = text;
}
