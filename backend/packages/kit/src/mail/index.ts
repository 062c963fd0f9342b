export * from './mail-config';
export * from './mailer';
export * from './mail-templates';
