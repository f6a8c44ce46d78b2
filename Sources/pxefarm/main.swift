import PXEFarmCommands

PXEFarm.main()
