// Time to data loss and lag are written one way (formatDuration) wherever they are printed: dev,
// status and the console show the same text for the same figure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, timeToLossText } from '../../src/trigger/index.js';

test('one formatter: days and hours, hours and minutes, minutes and seconds, seconds', () => {
  assert.deepEqual([604_799, 86_400, 11_520, 3_600, 270, 60, 45, 0, -5].map(formatDuration), [
    '6d23h',
    '1d0h',
    '3h12m',
    '1h0m',
    '4m30s',
    '1m0s',
    '45s',
    '0s',
    '0s',
  ]);
});

test('time to loss: nothing pending, expiring, already expired', () => {
  assert.equal(timeToLossText({}), '-');
  assert.equal(timeToLossText({ timeToLossSeconds: 604_799 }), '6d23h');
  assert.equal(timeToLossText({ timeToLossSeconds: 0 }), 'expiring');
  assert.equal(timeToLossText({ timeToLossSeconds: 100, expiredGroups: 1 }), '1 group expired');
  assert.equal(timeToLossText({ expiredGroups: 12 }), '12 groups expired');
});
