'use strict';

var formatSize = require('../').formatSize;
var parseSize = require('../').parseSize;
var test = require('tape');

test('formatSize', function (t) {
	t.equal(formatSize(512), '512 B');
	t.equal(formatSize(1500), '1.5 kB');
	t.equal(formatSize(1536, true), '1.5 KiB');
	t.equal(formatSize(3e15), '3000.0 TB');
	t.equal(formatSize(1536, true, 2), '1.50 KiB');
	t.throws(function () { formatSize(-1); }, RangeError);
	t.end();
});

test('parseSize', function (t) {
	t.equal(parseSize('512 B'), 512);
	t.equal(parseSize('1.5 kB'), 1500);
	t.equal(parseSize('1.5 KiB'), 1536);
	t.throws(function () { parseSize('3 parsecs'); }, RangeError);
	t.end();
});
