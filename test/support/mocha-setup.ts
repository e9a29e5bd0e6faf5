// Tests are quiet unless asked: LOG_LEVEL=debug npm test shows what the app logs.
process.env.LOG_LEVEL ??= 'silent';
process.env.TZ_NAME ??= 'Europe/Oslo';
