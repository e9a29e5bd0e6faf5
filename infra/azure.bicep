// Laget in Azure: one resource group with
//   - a user-assigned managed identity: the bot's identity (no secret) and the app's identity for Cosmos DB
//   - a Linux App Service (Node) that runs the bot
//   - Azure Cosmos DB for NoSQL (serverless, keys disabled, continuous backup) with the database and containers
//   - the Azure Bot registration with the Microsoft Teams channel (botRegistration/azurebot.bicep)
// Teams Toolkit deploys it with infra/azure.parameters.json and writes the outputs below to env/.env.<env>.

@minLength(4)
@maxLength(20)
@description('Base of every resource name: lowercase letters and digits. The web app, bot and Cosmos DB names must be unique in all of Azure.')
param resourceBaseName string

@description('Region of the web app, the identity and Cosmos DB. Norway East keeps the data in Norway.')
param location string = 'norwayeast'

@description('App Service plan SKU. B1 is the smallest with Always On, which the reminder scheduler needs.')
param webAppSku string = 'B1'

@description('Runtime stack of the Linux web app (az webapp list-runtimes --os linux).')
param linuxFxVersion string = 'NODE|24-lts'

@maxLength(42)
@description('The bot\'s name in the Azure Bot registration.')
param botDisplayName string = 'Laget'

@description('Where the Azure Bot registration lives: global, or a regional value such as westeurope.')
param botLocation string = 'global'

@allowed([
  'dev'
  'production'
])
@description('LAGET_ENV of the web app. Never local in Azure: local accepts anonymous requests.')
param lagetEnvironment string = 'production'

@description('ALLOWED_TENANT_IDS of the web app (comma-separated). Empty: only the tenant of the bot identity.')
param allowedTenantIds string = ''

@description('The Cosmos DB database (COSMOS_DATABASE).')
param databaseName string = 'laget'

@description('The containers, as in src/store/containers.ts: [{ name, partitionKey, defaultTtl? }]. The app cannot create containers itself (its identity has data access only), so every container it opens must be listed here.')
param containers array

@allowed([
  'Continuous7Days'
  'Continuous30Days'
])
@description('Point-in-time restore window of Cosmos DB. 7 days is free and keeps deleted case data in backups for the shortest time.')
param cosmosBackupTier string = 'Continuous7Days'

@minLength(1)
@description('MUNICIPALITY_FILE of the web app: the municipality\'s units, leaders, ladder and child welfare addresses, a path relative to the deployed package (e.g. config/municipality.<kommune>.json). Production refuses to start without it; the bundled config/municipality.local.json holds synthetic people and suits only a test tenant.')
param municipalityFile string

@allowed(['file', 'graph'])
@description('DIRECTORY of the web app: who works where comes from the municipality file, or from Entra ID through Microsoft Graph (the identity needs the Graph application permissions and an admin\'s consent, see docs/deploy.md).')
param directory string = 'file'

@description('TEAMS_APP_CATALOG_ID of the web app: the app\'s id in the tenant\'s Teams app catalog. With it, Laget installs itself for a person it must reach who has never opened it (needs TeamsAppInstallation.ReadWriteSelfForUser.All). Empty: such notices wait until the person opens Laget.')
param teamsAppCatalogId string = ''

@description('TZ_NAME of the web app.')
param timeZone string = 'Europe/Oslo'

@description('LOG_LEVEL of the web app.')
param logLevel string = 'info'

var cosmosAccountName = toLower('${resourceBaseName}-cosmos')
// Cosmos DB Built-in Data Contributor: read and write items, read metadata; no account management.
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: resourceBaseName
  location: location
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: cosmosAccountName
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: cosmosBackupTier
      }
    }
    // Entra ID only: no account keys, and no database/container changes through the data plane.
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmos
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

resource cosmosContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for container in containers: {
  parent: database
  name: container.name
  properties: {
    // defaultTtl -1 turns TTL on without a default: each item's own ttl decides (retention after closure).
    resource: union({
      id: container.name
      partitionKey: {
        paths: [
          container.partitionKey
        ]
        kind: 'Hash'
        version: 2
      }
    }, contains(container, 'defaultTtl') ? {
      defaultTtl: container.defaultTtl
    } : {})
  }
}]

// The web app's identity may read and write items in Laget's database, nothing else.
resource cosmosDataAccess 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmos
  name: guid(cosmos.id, identity.id, cosmosDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
    principalId: identity.properties.principalId
    scope: '${cosmos.id}/dbs/${databaseName}'
  }
  dependsOn: [
    database
  ]
}

resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      // The compiled bot; `npm start` is the local Playground setup and must not run here.
      appCommandLine: 'node dist/src/index.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: [
        {
          name: 'LAGET_ENV'
          value: lagetEnvironment
        }
        {
          name: 'BOT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'BOT_TYPE'
          value: 'UserAssignedMsi'
        }
        {
          name: 'BOT_TENANT_ID'
          value: identity.properties.tenantId
        }
        {
          name: 'ALLOWED_TENANT_IDS'
          value: empty(allowedTenantIds) ? identity.properties.tenantId : allowedTenantIds
        }
        {
          name: 'COSMOS_ENDPOINT'
          value: cosmos.properties.documentEndpoint
        }
        {
          name: 'COSMOS_DATABASE'
          value: databaseName
        }
        {
          // No COSMOS_KEY: DefaultAzureCredential signs in as this user-assigned identity.
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'MUNICIPALITY_FILE'
          value: municipalityFile
        }
        {
          name: 'DIRECTORY'
          value: directory
        }
        {
          name: 'TEAMS_APP_CATALOG_ID'
          value: teamsAppCatalogId
        }
        {
          name: 'TZ_NAME'
          value: timeZone
        }
        {
          name: 'LOG_LEVEL'
          value: logLevel
        }
        {
          // azureAppService/zipDeploy uploads the built app; run it from that package as is.
          name: 'WEBSITE_RUN_FROM_PACKAGE'
          value: '1'
        }
        {
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false'
        }
      ]
    }
  }
}

module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    botServiceName: resourceBaseName
    botDisplayName: botDisplayName
    botLocation: botLocation
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    identityTenantId: identity.properties.tenantId
    messagingEndpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
  }
}

// Teams Toolkit writes these to env/.env.<env> (https://aka.ms/teamsfx-actions/arm-deploy).
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output COSMOS_ENDPOINT string = cosmos.properties.documentEndpoint
