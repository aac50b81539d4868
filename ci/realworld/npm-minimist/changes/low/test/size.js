'use strict';

var formatSize = require('../').formatSize;
var test = require('tape');

test('formatSize: bytes and kilobytes', function (t) {
	t.equal(formatSize(512), '512 B');
	t.equal(formatSize(1500), '1.5 kB');
	t.end();
});
