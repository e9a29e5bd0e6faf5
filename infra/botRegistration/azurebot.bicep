// The Azure Bot registration: Bot Framework sends Teams activities to the messaging endpoint and
// accepts the bot's replies when it signs in as the user-assigned managed identity.

@description('Name of the Azure Bot resource (unique in all of Azure).')
param botServiceName string

@maxLength(42)
@description('The bot\'s display name in the registration.')
param botDisplayName string

@description('global, or a regional value such as westeurope.')
param botLocation string = 'global'

@description('F0 is free; Microsoft Teams is a standard channel, so messages to it are not metered.')
param botServiceSku string = 'F0'

@description('Client id of the user-assigned managed identity: the bot\'s app id (BOT_ID).')
param identityClientId string

@description('Resource id of the user-assigned managed identity.')
param identityResourceId string

@description('Entra tenant of the managed identity (BOT_TENANT_ID).')
param identityTenantId string

@description('https://<host>/api/messages of the web app.')
param messagingEndpoint string

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botServiceName
  location: botLocation
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: messagingEndpoint
    msaAppId: identityClientId
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: identityTenantId
    msaAppType: 'UserAssignedMSI'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: botLocation
  properties: {
    channelName: 'MsTeamsChannel'
  }
}
