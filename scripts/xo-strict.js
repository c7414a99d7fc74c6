// xo as `npm run lint` runs it, failing on warnings as well as errors: xo's own CLI exits 0 on
// warnings and has no --max-warnings, and a warning nobody has to fix is soon one of many.
import process from 'node:process';
import {Xo} from 'xo';

const xo = new Xo({cwd: process.cwd(), ts: true});
const report = await xo.lintFiles(process.argv.slice(2));
const formatter = await xo.getFormatter('stylish');
const text = await formatter.format(report.results);
if (text !== '') {
  console.log(text);
}

if (report.errorCount > 0 || report.warningCount > 0) {
  console.error(
    `xo: ${report.errorCount} errors and ${report.warningCount} warnings; warnings fail the lint too`,
  );
  process.exitCode = 1;
}
