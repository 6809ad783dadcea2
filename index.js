// n8n finds this package's nodes and credentials through the "n8n" block of package.json, so
// nothing is exported here and package.json names no "main" (npm would then pack this file).
module.exports = {};
