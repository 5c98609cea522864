/**
 * The evaluators' waiting count stops at this many submissions (shown as "more than 99"): the count then reads at
 * most this many rows, whatever the size of the queue.
 */
export const WAITING_COUNT_CAP = 100;

export function waitingCountIsCapped(count: number): boolean {
	return count >= WAITING_COUNT_CAP;
}
