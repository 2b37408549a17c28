// Staff appraisal (绩效考核): pure rules, shared by the back end and the browser.
export * from './kpis';
export * from './sheet';
export * from './score';
