import * as markAsRead from './markAsRead.operation';
import * as sendContacts from './sendContacts.operation';
import * as sendInteractive from './sendInteractive.operation';
import * as sendLocation from './sendLocation.operation';
import * as sendMedia from './sendMedia.operation';
import * as sendReaction from './sendReaction.operation';
import * as sendTemplate from './sendTemplate.operation';
import * as sendText from './sendText.operation';

export { markAsRead, sendContacts, sendInteractive, sendLocation, sendMedia, sendReaction, sendTemplate, sendText };
